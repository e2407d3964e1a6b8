import { inflateSync } from "node:zlib";

/** A decoded 8-bit RGBA image. */
export interface IRgbaImage {
    readonly width: number;
    readonly height: number;
    /** Row-major RGBA, 4 bytes per pixel. */
    readonly data: Uint8Array;
}

/**
 * Decodes the PNGs Chromium's screenshots produce (8-bit RGB or RGBA, not interlaced) so tests
 * can read pixels without adding an image package to the project.
 */
export function decodePng(png: Uint8Array): IRgbaImage {
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    let offset = 8;
    let width = 0;
    let height = 0;
    let channels = 0;
    const idat: Uint8Array[] = [];
    while (offset < png.length) {
        const length = view.getUint32(offset);
        const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
        const body = png.subarray(offset + 8, offset + 8 + length);
        if (type === "IHDR") {
            width = view.getUint32(offset + 8);
            height = view.getUint32(offset + 12);
            const bitDepth = body[8];
            const colorType = body[9];
            const interlace = body[12];
            if (bitDepth !== 8 || (colorType !== 2 && colorType !== 6) || interlace !== 0) {
                throw new Error(`unsupported PNG: bit depth ${bitDepth}, colour type ${colorType}, interlace ${interlace}`);
            }
            channels = colorType === 6 ? 4 : 3;
        } else if (type === "IDAT") {
            idat.push(body);
        } else if (type === "IEND") {
            break;
        }
        offset += 12 + length;
    }
    const raw = inflateSync(Buffer.concat(idat));
    const stride = width * channels;
    const pixels = new Uint8Array(stride * height);
    for (let y = 0; y < height; y++) {
        const filter = raw[y * (stride + 1)];
        const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
        unfilterLine(filter, line, pixels, y * stride, stride, channels);
    }
    const data = new Uint8Array(width * height * 4);
    for (let i = 0, j = 0; i < pixels.length; i += channels, j += 4) {
        data[j] = pixels[i];
        data[j + 1] = pixels[i + 1];
        data[j + 2] = pixels[i + 2];
        data[j + 3] = channels === 4 ? pixels[i + 3] : 255;
    }
    return { width, height, data };
}

function unfilterLine(filter: number, line: Uint8Array, out: Uint8Array, start: number, stride: number, bpp: number): void {
    for (let x = 0; x < stride; x++) {
        const left = x >= bpp ? out[start + x - bpp] : 0;
        const up = start > 0 ? out[start - stride + x] : 0;
        const upLeft = start > 0 && x >= bpp ? out[start - stride + x - bpp] : 0;
        let predictor: number;
        switch (filter) {
            case 0:
                predictor = 0;
                break;
            case 1:
                predictor = left;
                break;
            case 2:
                predictor = up;
                break;
            case 3:
                predictor = (left + up) >> 1;
                break;
            case 4:
                predictor = paeth(left, up, upLeft);
                break;
            default:
                throw new Error(`unknown PNG filter ${filter}`);
        }
        out[start + x] = (line[x] + predictor) & 0xff;
    }
}

function paeth(a: number, b: number, c: number): number {
    const p = a + b - c;
    const pa = Math.abs(p - a);
    const pb = Math.abs(p - b);
    const pc = Math.abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
