// Configs and look-up by name. Metric configs: keras/src/metrics/hinge_metrics_test.py test_config (name and
// dtype survive from_config(get_config()), and the new metric has its two variables, empty). Loss configs:
// losses_test.py test_config (run_class_serialization_test: get_config → from_config → same config).
// Look-up: keras/src/losses/__init__.py get / serialize / deserialize (ALL_OBJECTS_DICT), and the
// tfjs-layers names 'hinge', 'squaredHinge', 'categoricalHinge'.
import { expect } from "chai";
import { InvalidOptionsError } from "../../lib/index.js";
import {
  CategoricalGeneralizedCrossEntropy,
  CategoricalHinge,
  Circle,
  Hinge,
  SquaredHinge,
  categoricalGeneralizedCrossEntropy,
  categoricalHinge,
  circle,
  deserialize,
  get,
  hinge,
  losses,
  metrics,
  serialize,
  squaredHinge,
} from "../../lib/compat/keras/index.js";
import { docYPred, docYTrue } from "./keras.fixtures.js";

const yTrue = docYTrue;
const yPred = docYPred;

describe("keras config: metrics getConfig / fromConfig (hinge_metrics_test.py test_config)", () => {
  const classes = [
    [metrics.Hinge, "hinge"],
    [metrics.SquaredHinge, "squared_hinge"],
    [metrics.CategoricalHinge, "cat_hinge"],
  ] as const;
  for (const [Cls, name] of classes) {
    it(`${Cls.name}: name and dtype survive, the rebuilt metric is empty and computes the same`, () => {
      const m = new Cls({ name, dtype: "float16" }).updateState(yTrue, yPred);
      expect(m.name).to.equal(name);
      expect(m.dtype).to.equal("float16");
      const back = Cls.fromConfig(m.getConfig());
      expect(back.getConfig()).to.deep.equal({ name, dtype: "float16" });
      expect([back.total, back.count, back.result()]).to.deep.equal([0, 0, 0]);
      expect(back.updateState(yTrue, yPred).result()).to.equal(m.result());
      expect(back.toJSON().options).to.deep.equal({ dtype: "float16" });
    });
  }
  it("fromConfig rejects unknown keys as the constructor does", () => {
    expect(() => metrics.Hinge.fromConfig({ name: "h", reduction: "sum" } as never)).to.throw(
      InvalidOptionsError,
      /"reduction" for metrics.Hinge[\s\S]*name, dtype/,
    );
  });
});

describe("keras config: losses (losses_test.py test_config)", () => {
  it("run_class_serialization_test: Circle(name='mycircle', gamma=80, margin=0.4), GCE(name='gce') and (q=0.1)", () => {
    for (const loss of [
      new Circle({ name: "mycircle", gamma: 80, margin: 0.4 }),
      new CategoricalGeneralizedCrossEntropy({ name: "gce" }),
      new CategoricalGeneralizedCrossEntropy({ q: 0.1, name: "gce" }),
      new Hinge({ reduction: null, dtype: "bfloat16" }),
    ]) {
      const Cls = loss.constructor as unknown as { fromConfig(c: object): typeof loss };
      expect(Cls.fromConfig(loss.getConfig()).getConfig()).to.deep.equal(loss.getConfig());
    }
  });
});

describe("keras look-up: losses.get / serialize / deserialize", () => {
  it("get: function names give the functions (Keras and tfjs-layers names), class names new instances", () => {
    expect(get("hinge")).to.equal(hinge);
    expect(get("squared_hinge")).to.equal(squaredHinge);
    expect(get("categorical_hinge")).to.equal(categoricalHinge);
    expect(get("circle")).to.equal(circle);
    expect(get("squaredHinge")).to.equal(squaredHinge);
    expect(get("categoricalHinge")).to.equal(categoricalHinge);
    const h = get("Hinge");
    expect(h).to.be.instanceOf(Hinge);
    expect(h.compute(yTrue, yPred)).to.equal(new Hinge().compute(yTrue, yPred));
    expect(get("SquaredHinge")).to.be.instanceOf(SquaredHinge);
    expect(get("CategoricalHinge")).to.be.instanceOf(CategoricalHinge);
    expect(get("Circle")).to.be.instanceOf(Circle);
    expect(losses.get).to.equal(get);
  });
  it("get: null → null; a loss or function is returned as is; a dict is deserialized", () => {
    expect(get(null)).to.equal(null);
    expect(get(undefined)).to.equal(null);
    const l = new SquaredHinge({ reduction: "sum" });
    expect(get(l)).to.equal(l);
    expect(get(hinge)).to.equal(hinge);
    const d = get({ class_name: "Hinge", config: { name: "h", reduction: "sum" } }) as Hinge;
    expect(d.getConfig()).to.deep.equal({ name: "h", reduction: "sum", dtype: "float32" });
  });
  it("get: unknown names raise with the known names (Keras: 'Could not interpret loss identifier')", () => {
    expect(() => get("hinge_loss")).to.throw(
      InvalidOptionsError,
      'Could not interpret loss identifier: "hinge_loss"; known names: Hinge, SquaredHinge, CategoricalHinge, Circle, hinge, squared_hinge, categorical_hinge, circle, squaredHinge, categoricalHinge',
    );
    // Keras's ALL_OBJECTS omit the GCE loss: its get() cannot find it by name either
    expect(() => get("CategoricalGeneralizedCrossEntropy")).to.throw(
      InvalidOptionsError,
      /Keras's losses.get does not list it either/,
    );
    expect(() => get(42)).to.throw(InvalidOptionsError, "Could not interpret loss identifier: 42");
  });
  it("serialize: Keras's dict (module keras.losses, snake_case config keys, plus dtype); functions by name", () => {
    expect(serialize(new Hinge())).to.deep.equal({
      module: "keras.losses",
      class_name: "Hinge",
      config: { name: "hinge", reduction: "sum_over_batch_size", dtype: "float32" },
      registered_name: null,
    });
    expect(serialize(new Circle({ removeDiagonal: false })).config).to.deep.equal({
      name: "circle",
      reduction: "sum_over_batch_size",
      dtype: "float32",
      gamma: 80,
      margin: 0.4,
      remove_diagonal: false,
    });
    expect(serialize(categoricalGeneralizedCrossEntropy)).to.deep.equal({
      module: "keras.losses",
      class_name: "function",
      config: "categorical_generalized_cross_entropy",
      registered_name: null,
    });
    expect(() => serialize((() => 0) as never)).to.throw(InvalidOptionsError, /cannot serialize a function/);
  });
  it("deserialize ∘ serialize is the identity on configs, through JSON, for every class", () => {
    for (const loss of [
      new Hinge({ reduction: "mean", dtype: "float64" }),
      new SquaredHinge({ name: "sq" }),
      new CategoricalHinge({ reduction: "mean_with_sample_weight" }),
      new Circle({ gamma: 64, margin: 0.25, removeDiagonal: false, dtype: "float16" }),
      new CategoricalGeneralizedCrossEntropy({ q: 0.7 }),
    ]) {
      const back = deserialize(JSON.parse(JSON.stringify(serialize(loss)))) as typeof loss;
      expect(back.constructor).to.equal(loss.constructor);
      expect(back.getConfig()).to.deep.equal(loss.getConfig());
    }
    for (const fn of [hinge, squaredHinge, categoricalHinge, circle, categoricalGeneralizedCrossEntropy]) {
      expect(deserialize(serialize(fn))).to.equal(fn);
    }
  });
  it("deserialize reads Keras's own output: no dtype (float32), snake_case keys, Keras's module paths", () => {
    // keras.losses.serialize(keras.losses.Circle(name="mycircle")) in Keras 3
    const fromKeras = {
      module: "keras.losses",
      class_name: "Circle",
      config: {
        name: "mycircle",
        reduction: "sum_over_batch_size",
        gamma: 80.0,
        margin: 0.4,
        remove_diagonal: true,
      },
      registered_name: null,
    };
    expect((deserialize(fromKeras) as Circle).getConfig()).to.deep.equal({
      name: "mycircle",
      reduction: "sum_over_batch_size",
      dtype: "float32",
      gamma: 80,
      margin: 0.4,
      removeDiagonal: true,
    });
    expect(
      deserialize({
        module: "builtins",
        class_name: "function",
        config: "hinge",
        registered_name: "function",
      }),
    ).to.equal(hinge);
    expect(deserialize("squared_hinge")).to.equal(squaredHinge);
    expect(() => deserialize({ module: "mylib", class_name: "Hinge", config: {} })).to.throw(
      InvalidOptionsError,
      /cannot deserialize a loss from module "mylib"/,
    );
    expect(() => deserialize({ class_name: "Hinge", config: { name: "h", foo: 1 } })).to.throw(
      InvalidOptionsError,
      /"foo" for Hinge/,
    );
  });
});
