import { crc32, deflateSync } from 'node:zlib';

/**
 * The PNG writer shared by the simulator's pictures and the usage chart: 8-bit RGB, no interlace,
 * filter type 0 on every scanline (simple, and compresses flat areas well).
 */

export type Rgb = readonly [red: number, green: number, blue: number];
export type PixelFunction = (x: number, y: number) => Rgb;

export interface PngSize {
  width: number;
  height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const BYTES_PER_PIXEL = 3;
const COLOR_TYPE_TRUECOLOR = 2;
export const DEFAULT_COMPRESSION_LEVEL = 6;

/** Encodes an 8-bit RGB PNG (no interlace, filter type 0 on every scanline). */
export function encodePng(width: number, height: number, pixel: PixelFunction): Buffer {
  const canvas = new ScanlineCanvas(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      canvas.set(x, y, r, g, b);
    }
  }
  return assemblePng(
    width,
    height,
    deflateSync(canvas.scanlines, { level: DEFAULT_COMPRESSION_LEVEL }),
  );
}

/** Width and height from the IHDR chunk, or null when the buffer does not start like a PNG. */
export function readPngSize(buf: Uint8Array): PngSize | null {
  if (buf.length < 24) return null;
  const bytes = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
  if (bytes.readUInt32BE(8) !== 13 || bytes.toString('latin1', 12, 16) !== 'IHDR') return null;
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  if (width === 0 || height === 0) return null;
  return { width, height };
}

/** Raw PNG scanlines (a zero filter byte, then RGB triples) written in place, so no extra copy is needed. */
export class ScanlineCanvas {
  readonly stride: number;
  readonly scanlines: Buffer;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new RangeError(`PNG dimensions must be positive integers, got ${width}x${height}`);
    }
    if (width > 0x7fffffff || height > 0x7fffffff) {
      throw new RangeError(`PNG dimensions must fit in 31 bits, got ${width}x${height}`);
    }
    this.stride = 1 + width * BYTES_PER_PIXEL;
    this.scanlines = Buffer.alloc(this.stride * height);
  }

  set(x: number, y: number, red: number, green: number, blue: number): void {
    const offset = y * this.stride + 1 + x * BYTES_PER_PIXEL;
    this.scanlines[offset] = red;
    this.scanlines[offset + 1] = green;
    this.scanlines[offset + 2] = blue;
  }
}

export function assemblePng(width: number, height: number, compressedScanlines: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(COLOR_TYPE_TRUECOLOR, 9);
  header.writeUInt8(0, 10); // compression: deflate
  header.writeUInt8(0, 11); // filter method: adaptive (we only use type 0)
  header.writeUInt8(0, 12); // no interlace
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', header),
    pngChunk('IDAT', compressedScanlines),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const typeBytes = Buffer.from(type, 'latin1');
  const lengthAndType = Buffer.alloc(8);
  lengthAndType.writeUInt32BE(data.length, 0);
  typeBytes.copy(lengthAndType, 4);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(data, crc32(typeBytes)), 0);
  return Buffer.concat([lengthAndType, data, checksum]);
}
