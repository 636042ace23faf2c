/**
 * Rendering a {@link QrFrame} as PNG (`pngjs`), SVG (string), raw RGBA pixels, or terminal text (UTF-8 half
 * blocks, two module rows per line). A quiet zone of 4 modules (ISO/IEC 18004 §6.3.8) is the default margin.
 * @module
 */
import { dflt, requireBuffer, requirePng } from './_format.js';
import { abool, aobject, anumber, astring, InputError, isBytes } from '@privkit/core';
import * as pngjs from 'pngjs';
import type { QrFrame } from './qr.js';

/** Options for raster and SVG rendering. */
export interface RenderOptions {
  /** Pixels (PNG/RGBA) or user units (SVG) per module, 1..64. Default 8 (PNG/RGBA) or 1 (SVG). */
  scale?: number;
  /** Quiet zone in modules, 0..16. Default 4. */
  margin?: number;
  /** Dark colour: `#rrggbb`. Default `#000000`. */
  dark?: string;
  /** Light colour: `#rrggbb`. Default `#ffffff`. */
  light?: string;
}

/** Raw pixels of a rendered frame. */
export interface Pixels {
  readonly width: number;
  readonly height: number;
  /** width·height·4 bytes, RGBA. */
  readonly data: Uint8ClampedArray;
}

function assertFrame(frame: QrFrame): QrFrame {
  const f = aobject<QrFrame>(frame, 'frame', false)!;
  if (!isBytes(f.modules) || typeof f.size !== 'number' || f.modules.length !== f.size * f.size || f.size < 21) {
    throw new InputError('"frame" expected a QrFrame from toQr', { code: 'INVALID_TYPE' });
  }
  return f;
}

function color(v: unknown, title: string, def: string): [number, number, number] {
  const s = astring(dflt(v, def), title, 7);
  if (!/^#[0-9a-fA-F]{6}$/.test(s)) throw new InputError(`"${title}" expected #rrggbb, got ${JSON.stringify(s)}`, { code: 'INVALID_VALUE' });
  return [parseInt(s.slice(1, 3), 16), parseInt(s.slice(3, 5), 16), parseInt(s.slice(5, 7), 16)];
}

/**
 * Renders a frame to RGBA pixels (for canvases, or to feed `decodeQrImage`).
 * @param frame - a frame from `toQr`
 * @param options - `{scale = 8, margin = 4, dark, light}`
 * @returns `{width, height, data}`
 * @throws {InputError} for a wrong frame or option
 * @example const { data, width, height } = renderPixels(frame, { scale: 4 })
 */
export function renderPixels(frame: QrFrame, options?: RenderOptions): Pixels {
  const f = assertFrame(frame);
  const o = aobject<RenderOptions>(options, 'options') ?? {};
  const scale = anumber(dflt(o.scale, 8), 'scale', 1, 64);
  const margin = anumber(dflt(o.margin, 4), 'margin', 0, 16);
  const dark = color(o.dark, 'dark', '#000000');
  const light = color(o.light, 'light', '#ffffff');
  const side = (f.size + 2 * margin) * scale;
  const data = new Uint8ClampedArray(side * side * 4);
  for (let y = 0; y < side; y++) {
    const my = Math.floor(y / scale) - margin;
    for (let x = 0; x < side; x++) {
      const mx = Math.floor(x / scale) - margin;
      const on = my >= 0 && my < f.size && mx >= 0 && mx < f.size && f.modules[my * f.size + mx] === 1;
      const c = on ? dark : light;
      const i = (y * side + x) * 4;
      data[i] = c[0];
      data[i + 1] = c[1];
      data[i + 2] = c[2];
      data[i + 3] = 255;
    }
  }
  return Object.freeze({ width: side, height: side, data });
}

/**
 * Renders a frame as a PNG image.
 * @param frame - a frame from `toQr`
 * @param options - `{scale = 8, margin = 4, dark, light}`
 * @returns PNG bytes (a Node `Buffer`, which is a Uint8Array)
 * @throws {InputError} for a wrong frame or option
 * @throws {UnsupportedError} where there is no global `Buffer` or no pngjs (browser bundles)
 * @example writeFileSync('card.png', renderPng(frame))
 */
export function renderPng(frame: QrFrame, options?: RenderOptions): Uint8Array {
  const px = renderPixels(frame, options);
  const B = requireBuffer('renderPng');
  const PNG = requirePng(pngjs.PNG, 'renderPng');
  const png = new PNG({ width: px.width, height: px.height });
  png.data = B.from(px.data.buffer, px.data.byteOffset, px.data.length);
  return PNG.sync.write(png);
}

/**
 * Renders a frame as an SVG document (one path of dark-module runs; crisp at any size).
 * @param frame - a frame from `toQr`
 * @param options - `{scale = 1, margin = 4, dark, light}`
 * @returns SVG markup
 * @throws {InputError} for a wrong frame or option
 * @example el.innerHTML = renderSvg(frame, { scale: 6 })
 */
export function renderSvg(frame: QrFrame, options?: RenderOptions): string {
  const f = assertFrame(frame);
  const o = aobject<RenderOptions>(options, 'options') ?? {};
  const scale = anumber(dflt(o.scale, 1), 'scale', 1, 64);
  const margin = anumber(dflt(o.margin, 4), 'margin', 0, 16);
  const hex = (c: [number, number, number]) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
  const dark = hex(color(o.dark, 'dark', '#000000'));
  const light = hex(color(o.light, 'light', '#ffffff'));
  const n = f.size + 2 * margin;
  let d = '';
  for (let y = 0; y < f.size; y++) {
    let x = 0;
    while (x < f.size) {
      if (f.modules[y * f.size + x] !== 1) {
        x++;
        continue;
      }
      let run = 1;
      while (x + run < f.size && f.modules[y * f.size + x + run] === 1) run++;
      d += `M${x + margin} ${y + margin}h${run}v1h-${run}z`;
      x += run;
    }
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n * scale}" height="${n * scale}" viewBox="0 0 ${n} ${n}" shape-rendering="crispEdges">` +
    `<rect width="${n}" height="${n}" fill="${light}"/><path fill="${dark}" d="${d}"/></svg>`
  );
}

/** Options for terminal rendering. */
export interface TerminalOptions {
  /** Quiet zone in modules, 0..16. Default 2 (terminals add their own padding). */
  margin?: number;
  /**
   * Default false: light modules are drawn with block characters (for the usual light-text-on-dark terminal).
   * true: dark modules are drawn (for dark-text-on-light terminals).
   */
  invert?: boolean;
}

/**
 * Renders a frame as UTF-8 half blocks (▀ ▄ █), two module rows per text line.
 * @param frame - a frame from `toQr`
 * @param options - `{margin = 2, invert = false}`
 * @returns text with `\n` line ends
 * @throws {InputError} for a wrong frame or option
 * @example process.stdout.write(renderTerminal(frame))
 */
export function renderTerminal(frame: QrFrame, options?: TerminalOptions): string {
  const f = assertFrame(frame);
  const o = aobject<TerminalOptions>(options, 'options') ?? {};
  const margin = anumber(dflt(o.margin, 2), 'margin', 0, 16);
  const invert = o.invert === undefined ? false : abool(o.invert, 'invert');
  const n = f.size + 2 * margin;
  // "ink" = the module colour the block characters draw.
  const ink = (x: number, y: number): boolean => {
    const mx = x - margin;
    const my = y - margin;
    const dark = mx >= 0 && my >= 0 && mx < f.size && my < f.size && f.modules[my * f.size + mx] === 1;
    return invert ? dark : !dark;
  };
  const lines: string[] = [];
  for (let y = 0; y < n; y += 2) {
    let line = '';
    for (let x = 0; x < n; x++) {
      const top = ink(x, y);
      const bottom = y + 1 < n ? ink(x, y + 1) : invert ? false : true;
      line += top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ';
    }
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}
