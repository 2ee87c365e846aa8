// WebAssembly SIMD kernels of the hinge loss (AssemblyScript; built by scripts/buildWasm.mjs into
// lib/wasm/hingeWasmBytes.ts). Each kernel reads a block that the JS side copied into linear memory and adds
// the block's EXACT partial sums, as integers, into i64 totals at `out`; it returns 0, or 1 when some element
// is invalid or needs the exact slow path (then the JS side discards everything and takes the JS kernels).
//
// Exactness (the same arguments as lib/state/exactSum.ts and the two-anchor kernels of the JS side):
// - unsquared: every contribution c = max(0, fl(1 - z)) is a multiple of 2^-53 for any double z; c < 2^24 is
//   split into q = (c + 1.5·2^38) - 1.5·2^38 (a multiple of 2^-14) and c - q (exact, |c - q| <= 2^-15, a
//   multiple of 2^-53). A float64 accumulator lane takes at most 2^14 of them (the JS side never passes more
//   than 2^14 elements or rows per call), so no addition rounds; the lanes are then converted exactly to
//   integers in units of 2^-14 and 2^-53 (|value| < 2^52).
// - squared: c = h·h < 2^32 with no bits below 2^-76 is split into three pieces, multiples of 2^-4, 2^-40 and
//   2^-76 (the three-anchor extract steps); a lane takes at most 2^16 of them, and is converted to integers in
//   units of 2^-4, 2^-40, 2^-76.
// - the i64 totals grow by at most 2^38 units per element: the JS side drains them long before 2^63.
// The arithmetic of every contribution is the JS kernels' expression, operation for operation (WebAssembly
// has no implicit FMA and rounds every f64 operation to nearest), so the same elements pass the same guards.

const PAIR_S: f64 = 412316860416.0; // 1.5 * 2^38
const PAIR_LIMIT: f64 = 16777216.0; // 2^24
const S1: f64 = 422212465065984.0; // 1.5 * 2^48
const S2: f64 = 6144.0; // 1.5 * 2^12
const S3: f64 = 8.940696716308594e-8; // 1.5 * 2^-24
const FAST_LIMIT: f64 = 4294967296.0; // 2^32
const HI_UNIT: f64 = 16384.0; // 2^14
const LO_UNIT: f64 = 9007199254740992.0; // 2^53
const U1: f64 = 16.0; // 2^4
const U2: f64 = 1099511627776.0; // 2^40
const U3: f64 = 75557863725914323419136.0; // 2^76

// ------------------------------------------------------------------------------------------------ loads

/** Two scores at p[i], p[i + 1] as f64x2. */
function load2<P>(p: usize, i: i32): v128 {
  if (sizeof<P>() == 4) return f64x2.promote_low_f32x4(v128.load64_zero(p + ((<usize>i) << 2)));
  return v128.load(p + ((<usize>i) << 3));
}

/** Two targets at t[i], t[i + 1] as f64x2 (int32 targets convert exactly). */
function loadT2<T>(t: usize, i: i32): v128 {
  if (isInteger<T>()) return f64x2.convert_low_i32x4_s(v128.load64_zero(t + ((<usize>i) << 2)));
  return v128.load(t + ((<usize>i) << 3));
}

function load1<P>(p: usize, i: i32): f64 {
  if (sizeof<P>() == 4) return <f64>load<f32>(p + ((<usize>i) << 2));
  return load<f64>(p + ((<usize>i) << 3));
}

function loadT1<T>(t: usize, i: i32): f64 {
  if (isInteger<T>()) return <f64>load<i32>(t + ((<usize>i) << 2));
  return load<f64>(t + ((<usize>i) << 3));
}

function addI64(out: usize, k: i32, v: f64): void {
  const at = out + ((<usize>k) << 3);
  store<i64>(at, load<i64>(at) + i64(v));
}

/** Sum of both lanes of two accumulators as an exact integer count of `unit`. */
function lanes(a: v128, b: v128, unit: f64): f64 {
  return (
    (f64x2.extract_lane(a, 0) + f64x2.extract_lane(b, 0)) * unit +
    (f64x2.extract_lane(a, 1) + f64x2.extract_lane(b, 1)) * unit
  );
}

// ----------------------------------------------------------------------------------------------- binary

/** y = +1 for target 1, -1 for 0 and -1 (`t + |t| - 1`); m = 1 - y·x; c = max(0, m) as `(m + |m|)·0.5`. */
function binaryHinge(x: v128, y: v128): v128 {
  const ys = f64x2.sub(f64x2.add(y, f64x2.abs(y)), f64x2.splat(1.0));
  const m = f64x2.sub(f64x2.splat(1.0), f64x2.mul(ys, x));
  return f64x2.mul(f64x2.add(m, f64x2.abs(m)), f64x2.splat(0.5));
}

/** Lanes whose target is in {-1, 0, 1} (`t² = |t|`; false for NaN). */
function goodTarget(y: v128): v128 {
  return f64x2.eq(f64x2.mul(y, y), f64x2.abs(y));
}

function binaryPair<P, T>(p: usize, t: usize, n: i32, out: usize): i32 {
  const S = f64x2.splat(PAIR_S);
  const LIM = f64x2.splat(PAIR_LIMIT);
  let hiA = f64x2.splat(0);
  let loA = f64x2.splat(0);
  let hiB = f64x2.splat(0);
  let loB = f64x2.splat(0);
  let ok = i64x2.splat(-1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const yA = loadT2<T>(t, i);
    const yB = loadT2<T>(t, i + 2);
    const cA = binaryHinge(load2<P>(p, i), yA);
    const cB = binaryHinge(load2<P>(p, i + 2), yB);
    const qA = f64x2.sub(f64x2.add(cA, S), S);
    const qB = f64x2.sub(f64x2.add(cB, S), S);
    hiA = f64x2.add(hiA, qA);
    loA = f64x2.add(loA, f64x2.sub(cA, qA));
    hiB = f64x2.add(hiB, qB);
    loB = f64x2.add(loB, f64x2.sub(cB, qB));
    const okA = v128.and(f64x2.lt(cA, LIM), goodTarget(yA));
    const okB = v128.and(f64x2.lt(cB, LIM), goodTarget(yB));
    ok = v128.and(ok, v128.and(okA, okB));
  }
  const hi = lanes(hiA, hiB, HI_UNIT);
  const lo = lanes(loA, loB, LO_UNIT);
  let worse = i64x2.all_true(ok) ? 0 : 1;
  let h: f64 = 0;
  let l: f64 = 0;
  for (; i < n; i++) {
    const y = loadT1<T>(t, i);
    const m = 1.0 - (y + Math.abs(y) - 1.0) * load1<P>(p, i);
    const c = (m + Math.abs(m)) * 0.5;
    const q = c + PAIR_S - PAIR_S;
    if (!(c < PAIR_LIMIT) || y * y != Math.abs(y)) worse = 1;
    h += q;
    l += c - q;
  }
  if (worse) return 1;
  addI64(out, 0, hi + h * HI_UNIT);
  addI64(out, 1, lo + l * LO_UNIT);
  return 0;
}

/** The three-anchor split of c into `out1..out3`-unit integers; returns false when c needs the slow path. */
function binarySquared<P, T>(p: usize, t: usize, n: i32, out: usize): i32 {
  const V1 = f64x2.splat(S1);
  const V2 = f64x2.splat(S2);
  const V3 = f64x2.splat(S3);
  const LIM = f64x2.splat(FAST_LIMIT);
  let b1 = f64x2.splat(0);
  let b2 = f64x2.splat(0);
  let b3 = f64x2.splat(0);
  let ok = i64x2.splat(-1);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const y = loadT2<T>(t, i);
    const h = binaryHinge(load2<P>(p, i), y);
    const c = f64x2.mul(h, h);
    const q1 = f64x2.sub(f64x2.add(c, V1), V1);
    const r1 = f64x2.sub(c, q1);
    const q2 = f64x2.sub(f64x2.add(r1, V2), V2);
    const r2 = f64x2.sub(r1, q2);
    const q3 = f64x2.sub(f64x2.add(r2, V3), V3);
    b1 = f64x2.add(b1, q1);
    b2 = f64x2.add(b2, q2);
    b3 = f64x2.add(b3, q3);
    ok = v128.and(ok, v128.and(goodTarget(y), v128.and(f64x2.eq(r2, q3), f64x2.lt(c, LIM))));
  }
  let worse = i64x2.all_true(ok) ? 0 : 1;
  let s1 = (f64x2.extract_lane(b1, 0) + f64x2.extract_lane(b1, 1)) * U1;
  let s2 = (f64x2.extract_lane(b2, 0) + f64x2.extract_lane(b2, 1)) * U2;
  let s3 = (f64x2.extract_lane(b3, 0) + f64x2.extract_lane(b3, 1)) * U3;
  for (; i < n; i++) {
    const y = loadT1<T>(t, i);
    const m = 1.0 - (y + Math.abs(y) - 1.0) * load1<P>(p, i);
    const h = (m + Math.abs(m)) * 0.5;
    const c = h * h;
    const q1 = c + S1 - S1;
    const r1 = c - q1;
    const q2 = r1 + S2 - S2;
    const r2 = r1 - q2;
    const q3 = r2 + S3 - S3;
    if (!(c < FAST_LIMIT) || r2 != q3 || y * y != Math.abs(y)) worse = 1;
    s1 += q1 * U1;
    s2 += q2 * U2;
    s3 += q3 * U3;
  }
  if (worse) return 1;
  addI64(out, 0, s1);
  addI64(out, 1, s2);
  addI64(out, 2, s3);
  return 0;
}

function binary<P, T>(p: usize, t: usize, n: i32, squared: i32, out: usize): i32 {
  return squared ? binarySquared<P, T>(p, t, n, out) : binaryPair<P, T>(p, t, n, out);
}

// ----------------------------------------------------------------------------------------- multiclass

/** A class index in [0, C) (integral), else -1. */
function classOf<T>(t: usize, r: i32, C: i32): i32 {
  const y = loadT1<T>(t, r);
  return y >= 0 && y < <f64>C && Math.floor(y) == y ? <i32>y : -1;
}

// ------------------------------------------------------------------------------------------ Crammer–Singer

/** Σ v·0 over the scores of the current call's rows: 0 while every score is finite, NaN after any that is not. */
let finite: f64 = 0;

/** The largest score of a row other than the target's; adds the row's Σ v·0 to {@link finite}. */
function rowMaxF32(base: usize, C: i32, y: i32): f64 {
  const NEG = f32x4.splat(-Infinity);
  const Y = i32x4.splat(y);
  let idx = i32x4(0, 1, 2, 3);
  let mx = NEG;
  let fin = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= C; j += 4) {
    const v = v128.load(base + ((<usize>j) << 2));
    fin = f32x4.add(fin, f32x4.mul(v, f32x4.splat(0)));
    mx = f32x4.max(mx, v128.bitselect(NEG, v, i32x4.eq(idx, Y)));
    idx = i32x4.add(idx, i32x4.splat(4));
  }
  let m = max<f32>(
    max<f32>(f32x4.extract_lane(mx, 0), f32x4.extract_lane(mx, 1)),
    max<f32>(f32x4.extract_lane(mx, 2), f32x4.extract_lane(mx, 3)),
  );
  let f =
    f32x4.extract_lane(fin, 0) +
    f32x4.extract_lane(fin, 1) +
    f32x4.extract_lane(fin, 2) +
    f32x4.extract_lane(fin, 3);
  for (; j < C; j++) {
    const v = load<f32>(base + ((<usize>j) << 2));
    f += v * 0;
    if (j != y) m = max<f32>(m, v);
  }
  finite += <f64>f;
  return <f64>m;
}

function rowMaxF64(base: usize, C: i32, y: i32): f64 {
  const NEG = f64x2.splat(-Infinity);
  const Y = i64x2.splat(<i64>y);
  let idx = i64x2(0, 1);
  let mx = NEG;
  let fin = f64x2.splat(0);
  let j = 0;
  for (; j + 2 <= C; j += 2) {
    const v = v128.load(base + ((<usize>j) << 3));
    fin = f64x2.add(fin, f64x2.mul(v, f64x2.splat(0)));
    mx = f64x2.max(mx, v128.bitselect(NEG, v, i64x2.eq(idx, Y)));
    idx = i64x2.add(idx, i64x2.splat(2));
  }
  let m = max<f64>(f64x2.extract_lane(mx, 0), f64x2.extract_lane(mx, 1));
  let f = f64x2.extract_lane(fin, 0) + f64x2.extract_lane(fin, 1);
  for (; j < C; j++) {
    const v = load<f64>(base + ((<usize>j) << 3));
    f += v * 0;
    if (j != y) m = max<f64>(m, v);
  }
  finite += f;
  return m;
}

/**
 * Crammer–Singer over n rows of C scores: `m = max(0, 1 - (p[y] - max_{j≠y} p[j]))`, squared if asked;
 * the pieces are drained into the totals at `out` (a pair, or a triple when squared).
 */
function crammerSinger<P, T>(p: usize, t: usize, n: i32, C: i32, squared: i32, out: usize): i32 {
  finite = 0;
  let a1: f64 = 0;
  let a2: f64 = 0;
  let a3: f64 = 0;
  let ok = true;
  const shift: usize = sizeof<P>() == 4 ? 2 : 3;
  for (let r = 0; r < n; r++) {
    const y = classOf<T>(t, r, C);
    if (y < 0) return 1;
    const base = p + ((<usize>r * <usize>C) << shift);
    const mx = sizeof<P>() == 4 ? rowMaxF32(base, C, y) : rowMaxF64(base, C, y);
    const m = 1.0 - (load1<P>(base, y) - mx);
    const h = (m + Math.abs(m)) * 0.5;
    if (!squared) {
      const q = h + PAIR_S - PAIR_S;
      a1 += q;
      a2 += h - q;
      ok = ok && h < PAIR_LIMIT;
    } else {
      const c = h * h;
      const q1 = c + S1 - S1;
      const r1 = c - q1;
      const q2 = r1 + S2 - S2;
      const r2 = r1 - q2;
      const q3 = r2 + S3 - S3;
      a1 += q1;
      a2 += q2;
      a3 += q3;
      ok = ok && c < FAST_LIMIT && r2 == q3;
    }
  }
  if (!ok || finite != 0) return 1;
  if (!squared) {
    addI64(out, 0, a1 * HI_UNIT);
    addI64(out, 1, a2 * LO_UNIT);
  } else {
    addI64(out, 0, a1 * U1);
    addI64(out, 1, a2 * U2);
    addI64(out, 2, a3 * U3);
  }
  return 0;
}

// --------------------------------------------------------------------------------------------- one-vs-all

/**
 * Converts the per-class accumulators at `acc` (slot `k·C + c` holds piece k of class c) into the i64 totals at
 * `out` (slot `width·c + k`) and clears them.
 */
function drain(acc: usize, C: i32, squared: i32, out: usize): void {
  const width = squared ? 3 : 2;
  for (let k = 0; k < width; k++) {
    const unit = squared ? (k == 0 ? U1 : k == 1 ? U2 : U3) : k == 0 ? HI_UNIT : LO_UNIT;
    for (let c = 0; c < C; c++) {
      const at = acc + ((<usize>(k * C + c)) << 3);
      addI64(out, width * c + k, load<f64>(at) * unit);
      store<f64>(at, 0);
    }
  }
}

/**
 * One-vs-all over n rows of C scores: for each class c, `max(0, 1 + (c == y ? -v : v))`, squared if asked,
 * into per-class accumulators at `acc` (see {@link drain}), drained into the i64 totals at `out`. Two classes
 * per f64x2 step.
 */
function oneVsAll<P, T>(p: usize, t: usize, n: i32, C: i32, squared: i32, acc: usize, out: usize): i32 {
  let worse = 0;
  for (let r = 0; r < n; r++) {
    const y = classOf<T>(t, r, C);
    if (y < 0) return 1;
    const base = <i32>(<usize>r * <usize>C);
    worse |= squared ? ovaRowSquared<P>(p, base, C, y, acc) : ovaRowPair<P>(p, base, C, y, acc);
  }
  if (worse) return 1;
  drain(acc, C, squared, out);
  return 0;
}

/** `1 + (c == y ? -v : v)` for classes (c, c + 1), then clamped: `idx` holds (c, c + 1). */
function ovaHinge(v: v128, idx: v128, Y: v128): v128 {
  const flip = v128.and(i64x2.eq(idx, Y), i64x2.splat(0x8000000000000000));
  const m = f64x2.add(f64x2.splat(1.0), v128.xor(v, flip));
  return f64x2.mul(f64x2.add(m, f64x2.abs(m)), f64x2.splat(0.5));
}

/** One row of one-vs-all, unsquared: pieces (q, h - q) of class c at acc + 8c and acc + 8(C + c). */
function ovaRowPair<P>(p: usize, base: i32, C: i32, y: i32, acc: usize): i32 {
  const S = f64x2.splat(PAIR_S);
  const LIM = f64x2.splat(PAIR_LIMIT);
  const Y = i64x2.splat(<i64>y);
  const lo = acc + ((<usize>C) << 3);
  let idx = i64x2(0, 1);
  let ok = i64x2.splat(-1);
  let c = 0;
  for (; c + 2 <= C; c += 2) {
    const h = ovaHinge(load2<P>(p, base + c), idx, Y);
    const q = f64x2.sub(f64x2.add(h, S), S);
    const off = (<usize>c) << 3;
    v128.store(acc + off, f64x2.add(v128.load(acc + off), q));
    v128.store(lo + off, f64x2.add(v128.load(lo + off), f64x2.sub(h, q)));
    ok = v128.and(ok, f64x2.lt(h, LIM));
    idx = i64x2.add(idx, i64x2.splat(2));
  }
  let worse = i64x2.all_true(ok) ? 0 : 1;
  if (c < C) {
    const v = load1<P>(p, base + c);
    const m = 1.0 + (c == y ? -v : v);
    const h = (m + Math.abs(m)) * 0.5;
    const q = h + PAIR_S - PAIR_S;
    const off = (<usize>c) << 3;
    store<f64>(acc + off, load<f64>(acc + off) + q);
    store<f64>(lo + off, load<f64>(lo + off) + (h - q));
    if (!(h < PAIR_LIMIT)) worse = 1;
  }
  return worse;
}

/** One row of one-vs-all, squared: three-anchor pieces of class c at acc + 8c, acc + 8(C + c), acc + 8(2C + c). */
function ovaRowSquared<P>(p: usize, base: i32, C: i32, y: i32, acc: usize): i32 {
  const V1 = f64x2.splat(S1);
  const V2 = f64x2.splat(S2);
  const V3 = f64x2.splat(S3);
  const LIM = f64x2.splat(FAST_LIMIT);
  const Y = i64x2.splat(<i64>y);
  const a2 = acc + ((<usize>C) << 3);
  const a3 = a2 + ((<usize>C) << 3);
  let idx = i64x2(0, 1);
  let ok = i64x2.splat(-1);
  let c = 0;
  for (; c + 2 <= C; c += 2) {
    const h = ovaHinge(load2<P>(p, base + c), idx, Y);
    const x = f64x2.mul(h, h);
    const q1 = f64x2.sub(f64x2.add(x, V1), V1);
    const r1 = f64x2.sub(x, q1);
    const q2 = f64x2.sub(f64x2.add(r1, V2), V2);
    const r2 = f64x2.sub(r1, q2);
    const q3 = f64x2.sub(f64x2.add(r2, V3), V3);
    const off = (<usize>c) << 3;
    v128.store(acc + off, f64x2.add(v128.load(acc + off), q1));
    v128.store(a2 + off, f64x2.add(v128.load(a2 + off), q2));
    v128.store(a3 + off, f64x2.add(v128.load(a3 + off), q3));
    ok = v128.and(ok, v128.and(f64x2.eq(r2, q3), f64x2.lt(x, LIM)));
    idx = i64x2.add(idx, i64x2.splat(2));
  }
  let worse = i64x2.all_true(ok) ? 0 : 1;
  if (c < C) {
    const v = load1<P>(p, base + c);
    const m = 1.0 + (c == y ? -v : v);
    const h = (m + Math.abs(m)) * 0.5;
    const x = h * h;
    const q1 = x + S1 - S1;
    const r1 = x - q1;
    const q2 = r1 + S2 - S2;
    const r2 = r1 - q2;
    const q3 = r2 + S3 - S3;
    const off = (<usize>c) << 3;
    store<f64>(acc + off, load<f64>(acc + off) + q1);
    store<f64>(a2 + off, load<f64>(a2 + off) + q2);
    store<f64>(a3 + off, load<f64>(a3 + off) + q3);
    if (!(x < FAST_LIMIT) || r2 != q3) worse = 1;
  }
  return worse;
}

// ---------------------------------------------------------------------------------------------- exports

export function binaryF32I32(p: usize, t: usize, n: i32, squared: i32, out: usize): i32 {
  return binary<f32, i32>(p, t, n, squared, out);
}
export function binaryF32F64(p: usize, t: usize, n: i32, squared: i32, out: usize): i32 {
  return binary<f32, f64>(p, t, n, squared, out);
}
export function binaryF64I32(p: usize, t: usize, n: i32, squared: i32, out: usize): i32 {
  return binary<f64, i32>(p, t, n, squared, out);
}
export function binaryF64F64(p: usize, t: usize, n: i32, squared: i32, out: usize): i32 {
  return binary<f64, f64>(p, t, n, squared, out);
}
export function crammerSingerF32I32(
  p: usize,
  t: usize,
  n: i32,
  C: i32,
  squared: i32,
  acc: usize,
  out: usize,
): i32 {
  return crammerSinger<f32, i32>(p, t, n, C, squared, out);
}
export function crammerSingerF32F64(
  p: usize,
  t: usize,
  n: i32,
  C: i32,
  squared: i32,
  acc: usize,
  out: usize,
): i32 {
  return crammerSinger<f32, f64>(p, t, n, C, squared, out);
}
export function crammerSingerF64I32(
  p: usize,
  t: usize,
  n: i32,
  C: i32,
  squared: i32,
  acc: usize,
  out: usize,
): i32 {
  return crammerSinger<f64, i32>(p, t, n, C, squared, out);
}
export function crammerSingerF64F64(
  p: usize,
  t: usize,
  n: i32,
  C: i32,
  squared: i32,
  acc: usize,
  out: usize,
): i32 {
  return crammerSinger<f64, f64>(p, t, n, C, squared, out);
}
export function oneVsAllF32I32(
  p: usize,
  t: usize,
  n: i32,
  C: i32,
  squared: i32,
  acc: usize,
  out: usize,
): i32 {
  return oneVsAll<f32, i32>(p, t, n, C, squared, acc, out);
}
export function oneVsAllF32F64(
  p: usize,
  t: usize,
  n: i32,
  C: i32,
  squared: i32,
  acc: usize,
  out: usize,
): i32 {
  return oneVsAll<f32, f64>(p, t, n, C, squared, acc, out);
}
export function oneVsAllF64I32(
  p: usize,
  t: usize,
  n: i32,
  C: i32,
  squared: i32,
  acc: usize,
  out: usize,
): i32 {
  return oneVsAll<f64, i32>(p, t, n, C, squared, acc, out);
}
export function oneVsAllF64F64(
  p: usize,
  t: usize,
  n: i32,
  C: i32,
  squared: i32,
  acc: usize,
  out: usize,
): i32 {
  return oneVsAll<f64, f64>(p, t, n, C, squared, acc, out);
}
