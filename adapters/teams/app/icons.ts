// The app's two icons, drawn here (no image files to license): a white shield with a check mark on the
// police-blue accent colour (colour icon, 192×192) and the same shield as a white outline on transparent
// (outline icon, 32×32), as Teams asks. Written as PNG with node's zlib; supersampled for smooth edges.
import { deflateSync } from "node:zlib";

export const ACCENT = "#0B4F8A";
const BLUE: RGB = [0x0b, 0x4f, 0x8a];
const WHITE: RGB = [255, 255, 255];
type RGB = [number, number, number];

/** The shield, in unit coordinates: straight sides, a round point at the bottom. */
function inShield(u: number, v: number, inset = 0): boolean {
  const top = 0.12 + inset;
  const half = 0.33 - inset;
  const waist = 0.55;
  const tip = 0.9 - inset * 1.4;
  if (v < top || v > tip) return false;
  const dx = Math.abs(u - 0.5);
  if (v <= waist) return dx <= half;
  const t = (v - waist) / (tip - waist);
  return dx <= half * Math.sqrt(Math.max(0, 1 - t * t));
}

function nearSegment(u: number, v: number, a: [number, number], b: [number, number], width: number): boolean {
  const [ax, ay] = a;
  const [bx, by] = b;
  const t = Math.max(0, Math.min(1, ((u - ax) * (bx - ax) + (v - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(u - (ax + t * (bx - ax)), v - (ay + t * (by - ay))) <= width / 2;
}

function inCheck(u: number, v: number, width: number): boolean {
  return nearSegment(u, v, [0.36, 0.5], [0.46, 0.61], width) || nearSegment(u, v, [0.46, 0.61], [0.65, 0.37], width);
}

/** RGBA pixels of a size×size image; `shade` gives the colour and coverage of a point. */
function draw(size: number, shade: (u: number, v: number) => { rgb: RGB; alpha: number }): Buffer {
  const n = 4;
  const out = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < n; sy++)
        for (let sx = 0; sx < n; sx++) {
          const p = shade((x + (sx + 0.5) / n) / size, (y + (sy + 0.5) / n) / size);
          r += p.rgb[0] * p.alpha;
          g += p.rgb[1] * p.alpha;
          b += p.rgb[2] * p.alpha;
          a += p.alpha;
        }
      const i = (y * size + x) * 4;
      out[i] = a ? Math.round(r / a) : 0;
      out[i + 1] = a ? Math.round(g / a) : 0;
      out[i + 2] = a ? Math.round(b / a) : 0;
      out[i + 3] = Math.round((a / (n * n)) * 255);
    }
  return out;
}

export function colorIcon(): Buffer {
  return png(192, draw(192, (u, v) => ({ rgb: inShield(u, v) && !inCheck(u, v, 0.07) ? WHITE : BLUE, alpha: 1 })));
}

export function outlineIcon(): Buffer {
  return png(32, draw(32, (u, v) => ({ rgb: WHITE, alpha: (inShield(u, v) && !inShield(u, v, 0.075)) || (inShield(u, v) && inCheck(u, v, 0.09)) ? 1 : 0 })));
}

// --- a minimal PNG encoder (RGBA, 8 bit) -------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

export function png(size: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}
