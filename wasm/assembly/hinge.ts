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
//
// The JS kernels compute m = 1 - y·x with y = +1 (target 1) or -1 (targets 0, -1); here the same m is
// 1 + s, where s is x with its sign bit flipped when the target is 1 (y·x is exact, and IEEE defines
// a - b as a + (-b)), and the clamp (m + |m|)·0.5 is `pmax(0, m)` (equal for every finite m; non-finite
// scores are refused before that matters). Four elements per step; the checks accumulate in vectors
// (maxima of the targets + 1 and of the flipped scores' bits, or a finiteness sum) and are tested once
// per call, so the loop has no branch.

/** Bits of the largest float32 s with fl(1 + s) < 2^24: 2^24 - 2 < 2^24 - 1 (0x4b7fffff). */
const BELOW_PAIR_LIMIT_BITS: i32 = 0x4b7fffff;
/** Bits of +Infinity (float32): every finite s has bits below it (signed), or is negative. */
const F32_INF_BITS: i32 = 0x7f800000;
/** Bits of -Infinity (float32): every finite negative s has bits below it (unsigned). */
const F32_NEG_INF_BITS: i32 = 0xff800000;

/** Lanes whose target is in {-1, 0, 1} (`t² = |t|`; false for NaN). */
function goodTarget(y: v128): v128 {
  return f64x2.eq(f64x2.mul(y, y), f64x2.abs(y));
}

/** The JS kernels' contribution for one element: `max(0, 1 - y·x)`, y from the target as above. */
function scalarHinge<P, T>(p: usize, t: usize, i: i32): f64 {
  const y = loadT1<T>(t, i);
  const m = 1.0 - (y + Math.abs(y) - 1.0) * load1<P>(p, i);
  return (m + Math.abs(m)) * 0.5;
}

function scalarTargetOk<T>(t: usize, i: i32): bool {
  const y = loadT1<T>(t, i);
  return y * y == Math.abs(y);
}

/**
 * Binary over n elements: unsquared (`Q` = i32) as a pair of pieces (units 2^-14, 2^-53) into out[0..2),
 * squared (`Q` = i64) as three (units 2^-4, 2^-40, 2^-76) into out[0..3). Returns 1, adding nothing, when
 * some element is invalid or needs the exact slow path. One function per instantiation, all state in
 * locals (WebAssembly globals would be stored and reloaded in every step).
 */
function binary<P, T, Q>(p: usize, t: usize, n: i32, out: usize): i32 {
  const squared = sizeof<Q>() == 8;
  const fastChecks = sizeof<P>() == 4 && isInteger<T>();
  const ONE = f64x2.splat(1.0);
  const ZERO = f64x2.splat(0);
  const SIGN64 = i64x2.splat(0x8000000000000000);
  const S = f64x2.splat(PAIR_S);
  const V1 = f64x2.splat(S1);
  const V2 = f64x2.splat(S2);
  const V3 = f64x2.splat(S3);
  // Integer targets: max_u of t + 1 (≤ 2 for t in {-1, 0, 1}); float targets: all lanes of `t² = |t|`.
  let tCheck = isInteger<T>() ? i32x4.splat(0) : i64x2.splat(-1);
  // Float32 scores, integer targets: signed and unsigned maxima of the flipped scores' bits. Otherwise
  // Σ s·0 (0 while every score is finite) and the largest contribution.
  let sMax = i32x4.splat(<i32>0x80000000);
  let uMax = i32x4.splat(0);
  let fin = ZERO;
  let cMax = ZERO;
  let exact = i64x2.splat(-1); // squared: r2 == q3 in every lane (no bits below 2^-76)
  let a1 = ZERO;
  let a2 = ZERO;
  let a3 = ZERO;
  let b1 = ZERO;
  let b2 = ZERO;
  let b3 = ZERO;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    let sA: v128;
    let sB: v128;
    if (isInteger<T>()) {
      const t4 = v128.load(t + ((<usize>i) << 2));
      const one = i32x4.eq(t4, i32x4.splat(1));
      tCheck = i32x4.max_u(tCheck, i32x4.add(t4, i32x4.splat(1)));
      if (sizeof<P>() == 4) {
        const s4 = v128.xor(v128.load(p + ((<usize>i) << 2)), v128.and(one, i32x4.splat(0x80000000)));
        sMax = i32x4.max_s(sMax, s4);
        uMax = i32x4.max_u(uMax, s4);
        sA = f64x2.promote_low_f32x4(s4);
        sB = f64x2.promote_low_f32x4(i32x4.shuffle(s4, s4, 2, 3, 2, 3));
      } else {
        const at = p + ((<usize>i) << 3);
        sA = v128.xor(v128.load(at), v128.and(i64x2.extend_low_i32x4_s(one), SIGN64));
        sB = v128.xor(v128.load(at, 16), v128.and(i64x2.extend_high_i32x4_s(one), SIGN64));
      }
    } else {
      const at = t + ((<usize>i) << 3);
      const tA = v128.load(at);
      const tB = v128.load(at, 16);
      tCheck = v128.and(tCheck, v128.and(goodTarget(tA), goodTarget(tB)));
      const oneA = v128.and(f64x2.eq(tA, ONE), SIGN64);
      const oneB = v128.and(f64x2.eq(tB, ONE), SIGN64);
      if (sizeof<P>() == 4) {
        const x4 = v128.load(p + ((<usize>i) << 2));
        sA = v128.xor(f64x2.promote_low_f32x4(x4), oneA);
        sB = v128.xor(f64x2.promote_low_f32x4(i32x4.shuffle(x4, x4, 2, 3, 2, 3)), oneB);
      } else {
        const xp = p + ((<usize>i) << 3);
        sA = v128.xor(v128.load(xp), oneA);
        sB = v128.xor(v128.load(xp, 16), oneB);
      }
    }
    if (!fastChecks) fin = f64x2.add(fin, f64x2.add(f64x2.mul(sA, ZERO), f64x2.mul(sB, ZERO)));
    const hA = f64x2.pmax(ZERO, f64x2.add(ONE, sA));
    const hB = f64x2.pmax(ZERO, f64x2.add(ONE, sB));
    if (!squared) {
      if (!fastChecks) cMax = f64x2.pmax(cMax, f64x2.pmax(hA, hB));
      const qA = f64x2.sub(f64x2.add(hA, S), S);
      const qB = f64x2.sub(f64x2.add(hB, S), S);
      a1 = f64x2.add(a1, qA);
      a2 = f64x2.add(a2, f64x2.sub(hA, qA));
      b1 = f64x2.add(b1, qB);
      b2 = f64x2.add(b2, f64x2.sub(hB, qB));
    } else {
      const cA = f64x2.mul(hA, hA);
      const cB = f64x2.mul(hB, hB);
      cMax = f64x2.pmax(cMax, f64x2.pmax(cA, cB));
      const q1A = f64x2.sub(f64x2.add(cA, V1), V1);
      const q1B = f64x2.sub(f64x2.add(cB, V1), V1);
      const r1A = f64x2.sub(cA, q1A);
      const r1B = f64x2.sub(cB, q1B);
      const q2A = f64x2.sub(f64x2.add(r1A, V2), V2);
      const q2B = f64x2.sub(f64x2.add(r1B, V2), V2);
      const r2A = f64x2.sub(r1A, q2A);
      const r2B = f64x2.sub(r1B, q2B);
      const q3A = f64x2.sub(f64x2.add(r2A, V3), V3);
      const q3B = f64x2.sub(f64x2.add(r2B, V3), V3);
      a1 = f64x2.add(a1, q1A);
      a2 = f64x2.add(a2, q2A);
      a3 = f64x2.add(a3, q3A);
      b1 = f64x2.add(b1, q1B);
      b2 = f64x2.add(b2, q2B);
      b3 = f64x2.add(b3, q3B);
      exact = v128.and(exact, v128.and(f64x2.eq(r2A, q3A), f64x2.eq(r2B, q3B)));
    }
  }
  const limit = squared ? FAST_LIMIT : PAIR_LIMIT;
  let good = isInteger<T>() ? i32x4.all_true(i32x4.le_u(tCheck, i32x4.splat(2))) : i64x2.all_true(tCheck);
  if (fastChecks) {
    // unsquared: fl(1 + s) < 2^24 for every s; squared: every s finite (and cMax checks c < 2^32)
    good =
      good && i32x4.all_true(i32x4.lt_s(sMax, i32x4.splat(squared ? F32_INF_BITS : BELOW_PAIR_LIMIT_BITS)));
    good = good && i32x4.all_true(i32x4.lt_u(uMax, i32x4.splat(F32_NEG_INF_BITS)));
  } else {
    good = good && f64x2.extract_lane(fin, 0) == 0 && f64x2.extract_lane(fin, 1) == 0;
  }
  good = good && f64x2.extract_lane(cMax, 0) < limit && f64x2.extract_lane(cMax, 1) < limit;
  good = good && i64x2.all_true(exact);
  let s1 = lanes(a1, b1, squared ? U1 : HI_UNIT);
  let s2 = lanes(a2, b2, squared ? U2 : LO_UNIT);
  let s3 = lanes(a3, b3, U3);
  for (; i < n; i++) {
    const h = scalarHinge<P, T>(p, t, i);
    if (!scalarTargetOk<T>(t, i)) good = false;
    if (!squared) {
      const q = h + PAIR_S - PAIR_S;
      if (!(h < PAIR_LIMIT)) good = false;
      s1 += q * HI_UNIT;
      s2 += (h - q) * LO_UNIT;
    } else {
      const c = h * h;
      const q1 = c + S1 - S1;
      const r1 = c - q1;
      const q2 = r1 + S2 - S2;
      const r2 = r1 - q2;
      const q3 = r2 + S3 - S3;
      if (!(c < FAST_LIMIT) || r2 != q3) good = false;
      s1 += q1 * U1;
      s2 += q2 * U2;
      s3 += q3 * U3;
    }
  }
  if (!good) return 1;
  addI64(out, 0, s1);
  addI64(out, 1, s2);
  if (squared) addI64(out, 2, s3);
  return 0;
}

function binaryEither<P, T>(p: usize, t: usize, n: i32, squared: i32, out: usize): i32 {
  return squared ? binary<P, T, i64>(p, t, n, out) : binary<P, T, i32>(p, t, n, out);
}

// ----------------------------------------------------------------------------------------- multiclass

/** A class index in [0, C) (integral), else -1. */
function classOf<T>(t: usize, r: i32, C: i32): i32 {
  const y = loadT1<T>(t, r);
  return y >= 0 && y < <f64>C && Math.floor(y) == y ? <i32>y : -1;
}

// ------------------------------------------------------------------------------------------ Crammer–Singer

/**
 * Crammer–Singer over n rows of C scores: `m = max(0, 1 - (p[y] - max_{j≠y} p[j]))`, squared if asked;
 * the pieces are drained into the totals at `out` (a pair, or a triple when squared). The row maximum runs
 * over whole vectors: the last one may reach past the row (into the next row, or the area after the scores:
 * memory that exists), and its lanes from C on are masked out, like the target's lane. The maximum is
 * `pmax` (the order of ±0 does not change m; non-finite scores refuse the call through Σ v·0).
 */
function crammerSinger<P, T>(p: usize, t: usize, n: i32, C: i32, squared: i32, out: usize): i32 {
  const f32 = sizeof<P>() == 4;
  const lanesPer = f32 ? 4 : 2;
  const shift: usize = f32 ? 2 : 3;
  const NEG = f32 ? f32x4.splat(-Infinity) : f64x2.splat(-Infinity);
  const Z = f64x2.splat(0);
  const CC = f32 ? i32x4.splat(C) : i64x2.splat(<i64>C);
  const STEP = f32 ? i32x4.splat(4) : i64x2.splat(2);
  const IDX0 = f32 ? i32x4(0, 1, 2, 3) : i64x2(0, 1);
  let fin = f32 ? f32x4.splat(0) : Z;
  let a1: f64 = 0;
  let a2: f64 = 0;
  let a3: f64 = 0;
  let bad = 0;
  for (let r = 0; r < n; r++) {
    const y = classOf<T>(t, r, C);
    if (y < 0) return 1;
    const base = p + ((<usize>r * <usize>C) << shift);
    const Y = f32 ? i32x4.splat(y) : i64x2.splat(<i64>y);
    let idx = IDX0;
    let mx = NEG;
    for (let j = 0; j < C; j += lanesPer) {
      const v = v128.load(base + ((<usize>j) << shift));
      if (f32) {
        const inRow = i32x4.lt_s(idx, CC);
        fin = f32x4.add(fin, f32x4.mul(v128.and(v, inRow), f32x4.splat(0)));
        mx = f32x4.pmax(mx, v128.bitselect(v, NEG, v128.andnot(inRow, i32x4.eq(idx, Y))));
        idx = i32x4.add(idx, STEP);
      } else {
        const inRow = i64x2.lt_s(idx, CC);
        fin = f64x2.add(fin, f64x2.mul(v128.and(v, inRow), Z));
        mx = f64x2.pmax(mx, v128.bitselect(v, NEG, v128.andnot(inRow, i64x2.eq(idx, Y))));
        idx = i64x2.add(idx, STEP);
      }
    }
    let m: f64;
    if (f32) {
      const m2 = f32x4.pmax(mx, i32x4.shuffle(mx, mx, 2, 3, 2, 3));
      const m1 = f32x4.pmax(m2, i32x4.shuffle(m2, m2, 1, 1, 1, 1));
      m = <f64>f32x4.extract_lane(m1, 0);
    } else {
      m = max<f64>(f64x2.extract_lane(mx, 0), f64x2.extract_lane(mx, 1));
    }
    const d = 1.0 - (load1<P>(base, y) - m);
    const h = (d + Math.abs(d)) * 0.5;
    if (!squared) {
      const q = h + PAIR_S - PAIR_S;
      a1 += q;
      a2 += h - q;
      bad |= <i32>!(h < PAIR_LIMIT);
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
      bad |= <i32>!(c < FAST_LIMIT && r2 == q3);
    }
  }
  const finite = f32 ? i32x4.all_true(f32x4.eq(fin, f32x4.splat(0))) : i64x2.all_true(f64x2.eq(fin, Z));
  if (bad || !finite) return 1;
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
  return binaryEither<f32, i32>(p, t, n, squared, out);
}
export function binaryF32F64(p: usize, t: usize, n: i32, squared: i32, out: usize): i32 {
  return binaryEither<f32, f64>(p, t, n, squared, out);
}
export function binaryF64I32(p: usize, t: usize, n: i32, squared: i32, out: usize): i32 {
  return binaryEither<f64, i32>(p, t, n, squared, out);
}
export function binaryF64F64(p: usize, t: usize, n: i32, squared: i32, out: usize): i32 {
  return binaryEither<f64, f64>(p, t, n, squared, out);
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
