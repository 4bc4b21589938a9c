/**
 * Draws the two Teams app icons for Partner Desk with plain pixel maths, so
 * the output is the same on every machine:
 *
 *   appPackage/color.png    192x192, opaque teal tile with two interlocking
 *                           white rings (two parties, one relationship)
 *   appPackage/outline.png   32x32, the same rings in white on a fully
 *                           transparent background (Teams only allows white
 *                           and transparent pixels in the outline icon)
 *
 * Run with `npx tsx scripts/make-icons.ts`. The PNGs are committed; rerun
 * only when the design changes.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PNG } from "pngjs";

type Rgb = readonly [number, number, number];

/** Teal background of the colour icon; keep in step with manifest accentColor. */
export const ICON_BACKGROUND: Rgb = [0x0e, 0x7c, 0x86];
const WHITE: Rgb = [255, 255, 255];

/** Samples per pixel edge used for anti-aliasing (SUPERSAMPLE^2 per pixel). */
const SUPERSAMPLE = 8;

interface Ring {
  cx: number;
  cy: number;
  /** Radius of the middle of the stroke. */
  radius: number;
  strokeWidth: number;
}

/** Two rings side by side, overlapping in the middle, scaled to the icon size. */
function ringsFor(size: number, glyphScale: number): Ring[] {
  const centre = size / 2;
  const glyph = size * glyphScale; // total width the glyph occupies
  // Layout in glyph units: width = 2 * offset + 2 * radius + stroke.
  const radius = glyph * 0.29;
  const offset = glyph * 0.16;
  const strokeWidth = glyph * 0.095;
  return [
    { cx: centre - offset, cy: centre, radius, strokeWidth },
    { cx: centre + offset, cy: centre, radius, strokeWidth },
  ];
}

function insideRing(x: number, y: number, ring: Ring): boolean {
  const distance = Math.hypot(x - ring.cx, y - ring.cy);
  return Math.abs(distance - ring.radius) <= ring.strokeWidth / 2;
}

/** Fraction (0..1) of the pixel at (px, py) covered by the glyph. */
function coverage(px: number, py: number, rings: readonly Ring[]): number {
  let hits = 0;
  for (let sy = 0; sy < SUPERSAMPLE; sy++) {
    for (let sx = 0; sx < SUPERSAMPLE; sx++) {
      const x = px + (sx + 0.5) / SUPERSAMPLE;
      const y = py + (sy + 0.5) / SUPERSAMPLE;
      if (rings.some((ring) => insideRing(x, y, ring))) hits++;
    }
  }
  return hits / (SUPERSAMPLE * SUPERSAMPLE);
}

/** 192x192 colour icon: white rings blended over an opaque teal background. */
export function drawColorIcon(size = 192): PNG {
  // Teams shows the colour icon on its own tile; keep the glyph inside the
  // central safe area (about two thirds of the width).
  const rings = ringsFor(size, 0.66);
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const a = coverage(x, y, rings);
      const i = (y * size + x) * 4;
      for (let c = 0; c < 3; c++) {
        png.data[i + c] = Math.round(ICON_BACKGROUND[c]! * (1 - a) + WHITE[c]! * a);
      }
      png.data[i + 3] = 255;
    }
  }
  return png;
}

/** 32x32 outline icon: pure white rings, anti-aliased through alpha only. */
export function drawOutlineIcon(size = 32): PNG {
  const rings = ringsFor(size, 0.94);
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const alpha = Math.round(coverage(x, y, rings) * 255);
      const i = (y * size + x) * 4;
      // Fully transparent pixels are written as 0,0,0,0; every visible pixel
      // is pure white so the icon only ever contains white and transparency.
      const rgb = alpha === 0 ? 0 : 255;
      png.data[i] = rgb;
      png.data[i + 1] = rgb;
      png.data[i + 2] = rgb;
      png.data[i + 3] = alpha;
    }
  }
  return png;
}

export function encodeOpaque(png: PNG): Buffer {
  // colorType 2 = RGB without an alpha channel: the colour icon is opaque by construction.
  return PNG.sync.write(png, { colorType: 2 });
}

export function encodeWithAlpha(png: PNG): Buffer {
  return PNG.sync.write(png, { colorType: 6 });
}

export function writeIcons(appPackageDir: string): { color: string; outline: string } {
  mkdirSync(appPackageDir, { recursive: true });
  const color = path.join(appPackageDir, "color.png");
  const outline = path.join(appPackageDir, "outline.png");
  writeFileSync(color, encodeOpaque(drawColorIcon()));
  writeFileSync(outline, encodeWithAlpha(drawOutlineIcon()));
  return { color, outline };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const appPackageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "appPackage");
  const written = writeIcons(appPackageDir);
  console.log(`Wrote ${written.color}`);
  console.log(`Wrote ${written.outline}`);
}
