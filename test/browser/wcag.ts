// WCAG 2.x colour contrast, written from the definitions: relative luminance of sRGB colours, contrast ratio
// (L1 + 0.05) / (L2 + 0.05), the large-text rule, and the colour a pixel ends up with after CSS backgrounds with
// alpha and group opacity are composited. The browser collects computed styles; the arithmetic runs here.

export interface Rgba {
  r: number; // 0–255
  g: number;
  b: number;
  a: number; // 0–1
}

/** Parses a computed CSS colour: rgb(), rgba(), or color(srgb r g b / a). Undefined for anything else. */
export function parseColor(css: string): Rgba | undefined {
  const s = css.trim().toLowerCase();
  if (s === 'transparent') return { r: 0, g: 0, b: 0, a: 0 };
  let m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+)(%?))?\s*\)$/.exec(s);
  if (m) {
    const a = m[4] === undefined ? 1 : Number(m[4]) / (m[5] ? 100 : 1);
    return { r: Number(m[1]), g: Number(m[2]), b: Number(m[3]), a };
  }
  m = /^color\(srgb\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)(?:\s*\/\s*([\d.]+))?\s*\)$/.exec(s);
  if (m) {
    return {
      r: Number(m[1]) * 255,
      g: Number(m[2]) * 255,
      b: Number(m[3]) * 255,
      a: m[4] === undefined ? 1 : Number(m[4]),
    };
  }
  return undefined;
}

/** WCAG 2.x relative luminance of an opaque sRGB colour. */
export function relativeLuminance(c: Pick<Rgba, 'r' | 'g' | 'b'>): number {
  const lin = (v: number): number => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

/** WCAG 2.x contrast ratio of two opaque colours, 1 to 21. */
export function contrastRatio(a: Pick<Rgba, 'r' | 'g' | 'b'>, b: Pick<Rgba, 'r' | 'g' | 'b'>): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Large text in WCAG 2.x: at least 18 pt (24 px), or 14 pt (18.66 px) and bold. */
export function isLargeText(fontSizePx: number, fontWeight: number): boolean {
  return fontSizePx >= 24 || (fontSizePx >= 18.66 && fontWeight >= 700);
}

/** Minimum ratio for text (AA): 4.5, or 3 for large text. */
export function requiredTextRatio(fontSizePx: number, fontWeight: number): number {
  return isLargeText(fontSizePx, fontWeight) ? 3 : 4.5;
}

// Premultiplied colours in 0–1, for source-over compositing.
interface Pm {
  r: number;
  g: number;
  b: number;
  a: number;
}
const pm = (c: Rgba): Pm => ({ r: (c.r / 255) * c.a, g: (c.g / 255) * c.a, b: (c.b / 255) * c.a, a: c.a });
const over = (top: Pm, bottom: Pm): Pm => ({
  r: top.r + bottom.r * (1 - top.a),
  g: top.g + bottom.g * (1 - top.a),
  b: top.b + bottom.b * (1 - top.a),
  a: top.a + bottom.a * (1 - top.a),
});
const fade = (c: Pm, opacity: number): Pm => ({
  r: c.r * opacity,
  g: c.g * opacity,
  b: c.b * opacity,
  a: c.a * opacity,
});
const opaque = (c: Pm): Rgba => ({ r: c.r * 255, g: c.g * 255, b: c.b * 255, a: 1 });

/** One box from the element outwards: its background colour and its opacity (which applies to its whole subtree). */
export interface Layer {
  background: Rgba;
  opacity: number;
}

/**
 * The colours a pixel of the text and a pixel of the background next to it end up with. `layers[0]` is the element
 * that holds the text, the last is the root; `canvas` is what the browser paints under the root. Each box is a
 * group: its children are painted over its background, and the whole group is faded by its opacity before it is
 * painted over its parent's background (CSS compositing with source-over).
 */
export function compositeText(
  foreground: Rgba,
  layers: readonly Layer[],
  canvas: Rgba,
): { text: Rgba; background: Rgba } {
  let text: Pm = { r: 0, g: 0, b: 0, a: 0 };
  let back: Pm = { r: 0, g: 0, b: 0, a: 0 };
  layers.forEach((layer, i) => {
    const bg = pm(layer.background);
    text = i === 0 ? over(pm(foreground), bg) : over(text, bg);
    back = over(back, bg);
    text = fade(text, layer.opacity);
    back = fade(back, layer.opacity);
  });
  const base = pm({ ...canvas, a: 1 });
  return { text: opaque(over(text, base)), background: opaque(over(back, base)) };
}

/** The effective background of a box (the colour around a focus ring drawn just outside a child of it). */
export function compositeBackground(layers: readonly Layer[], canvas: Rgba): Rgba {
  return compositeText({ r: 0, g: 0, b: 0, a: 0 }, layers, canvas).background;
}

export const hex = (c: Pick<Rgba, 'r' | 'g' | 'b'>): string =>
  `#${[c.r, c.g, c.b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
