import { crc32, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodePng } from './fakes/image-api/index.js';

/**
 * The simulator draws an edit from its source PNG, so it must read the PNGs people actually
 * upload: every 8-bit colour type, each scanline filter. These files are written here byte by
 * byte, independently of the decoder, the way other tools write them.
 */

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeBytes = Buffer.from(type, 'latin1');
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(data, crc32(typeBytes)));
  return Buffer.concat([length, typeBytes, data, checksum]);
}

/** Filters each row with `filters[y % filters.length]`, as an encoder choosing per row would. */
function writePng(options: {
  width: number;
  height: number;
  colourType: number;
  samples: number[];
  filters: number[];
  palette?: number[];
  depth?: number;
  interlace?: number;
}): Buffer {
  const { width, height, colourType, samples, filters } = options;
  const bpp = CHANNELS[colourType]!;
  const stride = width * bpp;
  const at = (x: number, y: number) => (x < 0 || y < 0 ? 0 : samples[y * stride + x]!);
  const rows: number[] = [];
  for (let y = 0; y < height; y++) {
    const filter = filters[y % filters.length]!;
    rows.push(filter);
    for (let x = 0; x < stride; x++) {
      const [left, up, upLeft] = [at(x - bpp, y), at(x, y - 1), at(x - bpp, y - 1)];
      const estimate = left + up - upLeft;
      const [a, b, c] = [left, up, upLeft].map((v) => Math.abs(estimate - v));
      const paeth = a! <= b! && a! <= c! ? left : b! <= c! ? up : upLeft;
      const predictor = [0, left, up, (left + up) >> 1, paeth][filter]!;
      rows.push((at(x, y) - predictor) & 0xff);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([options.depth ?? 8, colourType, 0, 0, options.interlace ?? 0], 8);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const compressed = deflateSync(Buffer.from(rows));
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    ...(options.palette ? [chunk('PLTE', Buffer.from(options.palette))] : []),
    // Split in two, as encoders writing in blocks do.
    chunk('IDAT', compressed.subarray(0, 5)),
    chunk('IDAT', compressed.subarray(5)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 5×4 RGB gradient with enough variety for every filter to matter. */
const WIDTH = 5;
const HEIGHT = 4;
const rgbAt = (x: number, y: number) => [x * 50, y * 60 + 10, (x * y * 37) % 256];
const expectedRgb = () =>
  Buffer.from(
    Array.from({ length: HEIGHT }, (_, y) =>
      Array.from({ length: WIDTH }, (_, x) => rgbAt(x, y)),
    ).flat(2),
  );
const eachPixel = (make: (x: number, y: number) => number[]) =>
  Array.from({ length: HEIGHT }, (_, y) =>
    Array.from({ length: WIDTH }, (_, x) => make(x, y)),
  ).flat(2);

describe('the simulator’s PNG reader', () => {
  it.each([0, 1, 2, 3, 4])('reads truecolour rows written with filter %i', (filter) => {
    const file = writePng({
      width: WIDTH,
      height: HEIGHT,
      colourType: 2,
      samples: eachPixel(rgbAt),
      filters: [filter],
    });
    expect(decodePng(file)).toEqual({ width: WIDTH, height: HEIGHT, rgb: expectedRgb() });
  });

  it('reads RGBA with mixed filters, opaque pixels as they are and transparent ones as white', () => {
    const samples = eachPixel((x, y) => [...rgbAt(x, y), x === 0 ? 0 : 255]);
    const picture = decodePng(
      writePng({ width: WIDTH, height: HEIGHT, colourType: 6, samples, filters: [4, 3, 1, 2] }),
    )!;
    const expected = expectedRgb();
    for (let y = 0; y < HEIGHT; y++) expected.fill(255, y * WIDTH * 3, y * WIDTH * 3 + 3);
    expect(picture.rgb).toEqual(expected);
  });

  it('reads greyscale, greyscale with alpha, and palette images', () => {
    const grey = decodePng(
      writePng({
        width: 2,
        height: 2,
        colourType: 0,
        samples: [0, 80, 160, 255],
        filters: [1, 4],
      }),
    )!;
    expect([...grey.rgb]).toEqual([0, 0, 0, 80, 80, 80, 160, 160, 160, 255, 255, 255]);

    const greyAlpha = decodePng(
      writePng({ width: 2, height: 1, colourType: 4, samples: [100, 255, 0, 0], filters: [3] }),
    )!;
    expect([...greyAlpha.rgb]).toEqual([100, 100, 100, 255, 255, 255]);

    const palette = decodePng(
      writePng({
        width: 3,
        height: 1,
        colourType: 3,
        samples: [2, 0, 1],
        filters: [0],
        palette: [255, 0, 0, 0, 255, 0, 0, 0, 255],
      }),
    )!;
    expect([...palette.rgb]).toEqual([0, 0, 255, 255, 0, 0, 0, 255, 0]);
  });

  it('gives up (null) on what it does not read, so the caller draws its placeholder', () => {
    const base = { width: 2, height: 2, colourType: 2, samples: Array(12).fill(9), filters: [0] };
    expect(decodePng(writePng({ ...base, interlace: 1 }))).toBeNull();
    expect(decodePng(writePng({ ...base, depth: 16 }))).toBeNull();
    expect(decodePng(writePng({ ...base, colourType: 3 }))).toBeNull(); // palette missing
    expect(decodePng(Buffer.from('GIF89a not a png'))).toBeNull();
    expect(decodePng(writePng(base).subarray(0, 40))).toBeNull();
  });
});
