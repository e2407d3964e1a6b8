/**
 * A minimal ONNX graph builder over onnx-proto: named constants, nodes with attributes, and
 * value infos. It only knows the few tensor and attribute kinds the ranker needs, and keeps
 * insertion order everywhere so the encoded bytes are the same on every run.
 */
import onnxProto from "onnx-proto";

const { onnx } = onnxProto;

export type OnnxAttribute = number | number[] | { float: number } | { floats: number[] };

export type ValueDim = number | string;

export class OnnxGraphBuilder {
    public readonly nodes: onnxProto.onnx.INodeProto[] = [];
    public readonly initializers: onnxProto.onnx.ITensorProto[] = [];
    private readonly _names = new Set<string>();
    private _counter = 0;

    /** A float32 initializer (a parameter or a fixed constant). */
    public addFloat(name: string, dims: readonly number[], data: Float32Array): string {
        this._claim(name);
        // rawData is little-endian float32, which is what Float32Array holds on every platform we run on.
        const bytes = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
        this.initializers.push({ name, dims: [...dims], dataType: onnx.TensorProto.DataType.FLOAT, rawData: bytes });
        return name;
    }

    /** An int64 initializer (shapes, axes, slice bounds); `dims` [] makes a scalar. */
    public addInt64(name: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
        this._claim(name);
        const data = new BigInt64Array(values.map((v) => BigInt(v)));
        const bytes = new Uint8Array(data.buffer);
        this.initializers.push({ name, dims: [...dims], dataType: onnx.TensorProto.DataType.INT64, rawData: bytes });
        return name;
    }

    /** A float scalar-ish constant of shape `dims`. */
    public addConstant(name: string, dims: readonly number[], values: readonly number[]): string {
        return this.addFloat(name, dims, new Float32Array(values));
    }

    /**
     * Appends a node and returns its output name(s). Output names are `${label}` (or
     * `${label}:${i}` for several outputs), so a reader of the graph can find each step.
     */
    public node(opType: string, inputs: readonly string[], label: string, attributes: Record<string, OnnxAttribute> = {}, outputCount = 1): string[] {
        const outputs: string[] = [];
        for (let i = 0; i < outputCount; i++) {
            const name = outputCount === 1 ? label : `${label}:${i}`;
            this._claim(name);
            outputs.push(name);
        }
        this.nodes.push({
            name: `${label}#${this._counter++}`,
            opType,
            input: [...inputs],
            output: outputs,
            attribute: Object.keys(attributes).map((key) => toAttribute(key, attributes[key])),
        });
        return outputs;
    }

    /** Single-output shorthand for `node`. */
    public op(opType: string, inputs: readonly string[], label: string, attributes: Record<string, OnnxAttribute> = {}): string {
        return this.node(opType, inputs, label, attributes)[0];
    }

    private _claim(name: string): void {
        if (this._names.has(name)) {
            throw new Error(`ONNX graph name "${name}" is used twice`);
        }
        this._names.add(name);
    }
}

function toAttribute(name: string, value: OnnxAttribute): onnxProto.onnx.IAttributeProto {
    const Type = onnx.AttributeProto.AttributeType;
    if (typeof value === "number") {
        return { name, type: Type.INT, i: value };
    }
    if (Array.isArray(value)) {
        return { name, type: Type.INTS, ints: value };
    }
    if ("float" in value) {
        return { name, type: Type.FLOAT, f: value.float };
    }
    return { name, type: Type.FLOATS, floats: value.floats };
}

/** A float32 value info (graph input or output) with fixed and symbolic dims. */
export function floatValueInfo(name: string, dims: readonly ValueDim[], docString = ""): onnxProto.onnx.IValueInfoProto {
    return {
        name,
        docString,
        type: {
            tensorType: {
                elemType: onnx.TensorProto.DataType.FLOAT,
                shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
            },
        },
    };
}

export { onnx };
