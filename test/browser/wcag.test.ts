// The contrast arithmetic against values from the WCAG definitions and hand-computed compositing.
import { describe, expect, it } from 'vitest';
import {
  compositeBackground,
  compositeText,
  contrastRatio,
  isLargeText,
  parseColor,
  relativeLuminance,
  requiredTextRatio,
} from './wcag.ts';

const WHITE = { r: 255, g: 255, b: 255, a: 1 };
const BLACK = { r: 0, g: 0, b: 0, a: 1 };

describe('WCAG contrast', () => {
  it('luminance and ratio as defined', () => {
    expect(relativeLuminance(WHITE)).toBeCloseTo(1, 6);
    expect(relativeLuminance(BLACK)).toBe(0);
    expect(contrastRatio(BLACK, WHITE)).toBeCloseTo(21, 6);
    expect(contrastRatio(WHITE, WHITE)).toBe(1);
    // #767676 is the lightest grey that passes 4.5:1 on white; #777777 fails.
    expect(contrastRatio(parseColor('rgb(118, 118, 118)')!, WHITE)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(parseColor('rgb(119, 119, 119)')!, WHITE)).toBeLessThan(4.5);
  });

  it('large text: 24 px, or 18.66 px bold', () => {
    expect(isLargeText(24, 400)).toBe(true);
    expect(isLargeText(23.9, 400)).toBe(false);
    expect(isLargeText(18.66, 700)).toBe(true);
    expect(isLargeText(18.66, 600)).toBe(false);
    expect(requiredTextRatio(14, 400)).toBe(4.5);
    expect(requiredTextRatio(22.4, 700)).toBe(3);
  });

  it('parses computed colours', () => {
    expect(parseColor('rgba(0, 0, 0, 0)')).toEqual({ r: 0, g: 0, b: 0, a: 0 });
    expect(parseColor('rgb(17 24 39 / 50%)')).toEqual({ r: 17, g: 24, b: 39, a: 0.5 });
    expect(parseColor('color(srgb 1 0 0 / 0.25)')).toEqual({ r: 255, g: 0, b: 0, a: 0.25 });
    expect(parseColor('oklch(0.5 0.1 200)')).toBeUndefined();
  });

  it('composites alpha backgrounds and group opacity', () => {
    const clear = { r: 0, g: 0, b: 0, a: 0 };
    // Half-transparent black background over a white page: mid grey.
    const grey = compositeBackground([{ background: { ...BLACK, a: 0.5 }, opacity: 1 }], WHITE);
    expect(grey.r).toBeCloseTo(127.5, 6);
    // White text on black, the box at opacity 0.5 over a white page: text stays white, the box turns grey.
    const faded = compositeText(
      WHITE,
      [
        { background: BLACK, opacity: 0.5 },
        { background: WHITE, opacity: 1 },
      ],
      WHITE,
    );
    expect(faded.text.r).toBeCloseTo(255, 6);
    expect(faded.background.r).toBeCloseTo(127.5, 6);
    // Black text at 50% alpha on a transparent box over white: grey text on white.
    const light = compositeText({ ...BLACK, a: 0.5 }, [{ background: clear, opacity: 1 }], WHITE);
    expect(light.text.r).toBeCloseTo(127.5, 6);
    expect(light.background.r).toBeCloseTo(255, 6);
    // Opacity of an inner box fades its text towards the parent's background, not the canvas.
    const inner = compositeText(
      BLACK,
      [
        { background: clear, opacity: 0.5 },
        { background: { r: 0, g: 0, b: 255, a: 1 }, opacity: 1 },
      ],
      WHITE,
    );
    expect(inner.text).toEqual({ r: 0, g: 0, b: 127.5, a: 1 });
    expect(inner.background).toEqual({ r: 0, g: 0, b: 255, a: 1 });
  });
});
