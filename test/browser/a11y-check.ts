// The accessibility check run on each page of the workspace: WCAG 2.x text contrast for every visible text, focus
// indicators (visible, and 3:1 against what surrounds them), form-control names and one h1. Returns what it found
// as plain lines, so a failing test names the element, its text, the colours and the ratio.
import type { Page } from 'playwright-core';
import {
  COLLECT_CONTROLS,
  COLLECT_TEXTS,
  H1S,
  markFocused,
  styleOfStop,
  UNNAMED_CONTROLS,
  type CollectedControl,
  type CollectedLayer,
  type CollectedPage,
  type FocusStyle,
} from './a11y-page.ts';
import {
  compositeBackground,
  compositeText,
  contrastRatio,
  hex,
  parseColor,
  requiredTextRatio,
  type Layer,
  type Rgba,
} from './wcag.ts';

const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 1 };
/** Chromium's canvas when the root uses a dark colour scheme. */
const DARK_CANVAS: Rgba = { r: 18, g: 18, b: 18, a: 1 };

export interface PageReport {
  page: string;
  scheme: 'light' | 'dark';
  textsChecked: number;
  /** Text of disabled controls: WCAG 1.4.3 sets no contrast requirement for inactive components. */
  inactiveSkipped: number;
  lowestRatio: { ratio: number; what: string } | null;
  tabStops: Array<{ element: string; name: string }>;
  /** Controls whose boundary (border or own background) was measured against what surrounds them. */
  controlsChecked: number;
  failures: string[];
  darkStyles: boolean;
}

const fmt = (x: number): string => `${Math.floor(x * 100) / 100}:1`;

function layersFrom(collected: readonly CollectedLayer[], problems: string[], where: string): Layer[] {
  return collected.map((l) => {
    if (l.image) problems.push(`${where}: background image, contrast cannot be measured`);
    const background = parseColor(l.background);
    if (!background) problems.push(`${where}: unreadable background colour ${l.background}`);
    return { background: background ?? { r: 0, g: 0, b: 0, a: 0 }, opacity: l.opacity };
  });
}

function canvasOf(collected: Pick<CollectedPage, 'colorScheme' | 'prefersDark'>): Rgba {
  const scheme = collected.colorScheme;
  const dark = scheme === 'dark' || (scheme.includes('dark') && collected.prefersDark);
  return dark ? DARK_CANVAS : WHITE;
}

/** Text contrast of everything COLLECT_TEXTS found. */
export function checkTexts(
  collected: CollectedPage,
): Pick<PageReport, 'textsChecked' | 'inactiveSkipped' | 'lowestRatio' | 'failures'> {
  const failures: string[] = [];
  const canvas = canvasOf(collected);
  let textsChecked = 0;
  let inactiveSkipped = 0;
  let lowestRatio: PageReport['lowestRatio'] = null;
  for (const t of collected.texts) {
    if (t.inactive) {
      inactiveSkipped += 1;
      continue;
    }
    textsChecked += 1;
    const where = `${t.element} "${t.text}"${t.kind === 'text' ? '' : ` (${t.kind})`}`;
    const fg = parseColor(t.foreground);
    if (!fg) {
      failures.push(`${where}: unreadable text colour ${t.foreground}`);
      continue;
    }
    const layers = layersFrom(t.layers, failures, where);
    const { text, background } = compositeText(fg, layers, canvas);
    const ratio = contrastRatio(text, background);
    const need = requiredTextRatio(t.fontSize, t.fontWeight);
    if (!lowestRatio || ratio < lowestRatio.ratio) lowestRatio = { ratio, what: where };
    if (ratio < need) {
      failures.push(
        `${where}: text ${hex(text)} on ${hex(background)} is ${fmt(ratio)}, needs ${need}:1 ` +
          `(${t.fontSize}px, weight ${t.fontWeight})`,
      );
    }
  }
  return { textsChecked, inactiveSkipped, lowestRatio, failures };
}

/**
 * WCAG 1.4.11 for component boundaries: a control drawn with a border or its own background must show that
 * boundary at 3:1 against what surrounds it (the border, or the background, is enough). Controls with neither (link
 * buttons, bare header buttons) are identified by their text, whose contrast checkTexts holds to 4.5:1.
 */
export function checkBoundaries(
  controls: readonly CollectedControl[],
  canvas: Rgba,
): { controlsChecked: number; failures: string[] } {
  const failures: string[] = [];
  let controlsChecked = 0;
  for (const c of controls) {
    if (c.inactive) continue;
    const where = `${c.element} "${c.name}"`;
    const problems: string[] = [];
    const layers = layersFrom(c.layers, problems, where);
    const outside = compositeBackground(layers.slice(1), canvas);
    const inside = compositeBackground(layers, canvas);
    const borderColor = parseColor(c.borderColor);
    const bordered =
      c.borderStyle !== 'none' && c.borderStyle !== 'hidden' && c.borderWidth > 0 && !!borderColor;
    const border = bordered
      ? compositeText(borderColor, [{ background: outside, opacity: 1 }], canvas).text
      : null;
    const filled = contrastRatio(inside, outside) > 1.01;
    const borderShown = border !== null && contrastRatio(border, outside) > 1.01;
    if (!filled && !borderShown) continue;
    controlsChecked += 1;
    failures.push(...problems);
    const byFill = contrastRatio(inside, outside);
    const byBorder = border ? contrastRatio(border, outside) : 0;
    if (Math.max(byFill, byBorder) < 3) {
      failures.push(
        `${where}: boundary ${border ? `border ${hex(border)} (${fmt(byBorder)}), ` : ''}` +
          `background ${hex(inside)} (${fmt(byFill)}) against ${hex(outside)}, needs 3:1`,
      );
    }
  }
  return { controlsChecked, failures };
}

const firstColor = (shadow: string): Rgba | undefined => {
  const m = /(rgba?\([^)]*\)|color\([^)]*\))/.exec(shadow);
  return m ? parseColor(m[1]!) : undefined;
};

/** Whether focus shows (outline or box-shadow differ from the unfocused state), and the ring's contrast. */
export function checkFocus(focused: FocusStyle, unfocused: FocusStyle | null, canvas: Rgba): string | null {
  const where = `${focused.element} "${focused.name}"`;
  const outlineOn = focused.outlineStyle !== 'none' && focused.outlineWidth > 0;
  const outlineChanged =
    outlineOn &&
    (!unfocused ||
      unfocused.outlineStyle !== focused.outlineStyle ||
      unfocused.outlineWidth !== focused.outlineWidth ||
      unfocused.outlineColor !== focused.outlineColor);
  const shadowChanged =
    focused.boxShadow !== 'none' && (!unfocused || unfocused.boxShadow !== focused.boxShadow);
  if (!outlineChanged && !shadowChanged)
    return `${where}: no visible focus (outline and box-shadow as unfocused)`;
  const ring = outlineChanged ? parseColor(focused.outlineColor) : firstColor(focused.boxShadow);
  if (!ring) return `${where}: unreadable focus colour ${focused.outlineColor} / ${focused.boxShadow}`;
  const problems: string[] = [];
  const around = compositeBackground(layersFrom(focused.parentLayers, problems, where), canvas);
  const ringOpaque = compositeText(ring, [{ background: around, opacity: 1 }], canvas).text;
  const ratio = contrastRatio(ringOpaque, around);
  if (problems.length > 0) return problems.join('; ');
  return ratio < 3
    ? `${where}: focus ${outlineChanged ? 'outline' : 'box-shadow'} ${hex(ringOpaque)} on ${hex(around)} is ${fmt(ratio)}, needs 3:1`
    : null;
}

/** Moves the sequential focus starting point to the top of the document. */
export async function focusTop(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const t = document.createElement('span');
    t.tabIndex = -1;
    document.body.prepend(t);
    t.focus();
    t.remove();
  })()`);
}

/** Tabs through the page from the top (at most `max` stops), checking each stop's focus indicator. */
export async function walkFocus(
  page: Page,
  canvas: Rgba,
  max = 150,
): Promise<{ stops: PageReport['tabStops']; failures: string[] }> {
  await focusTop(page);
  const stops: PageReport['tabStops'] = [];
  const failures: string[] = [];
  let previous: { n: number; style: FocusStyle } | null = null;
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate<FocusStyle | { same: true } | null>(markFocused(i));
    if (focused && 'same' in focused) continue;
    if (previous) {
      const unfocused = await page.evaluate<(FocusStyle & { focused: boolean }) | null>(
        styleOfStop(previous.n),
      );
      const problem = checkFocus(previous.style, unfocused && !unfocused.focused ? unfocused : null, canvas);
      if (problem) failures.push(problem);
    }
    if (!focused) break;
    // Back at the first stop: the whole page has been walked.
    if (stops.length > 0 && focused.element === stops[0]!.element && focused.name === stops[0]!.name) break;
    stops.push({ element: focused.element, name: focused.name });
    previous = { n: i, style: focused };
  }
  await page.evaluate(
    `document.querySelectorAll('[data-a11y-stop]').forEach((e) => e.removeAttribute('data-a11y-stop'))`,
  );
  return { stops, failures };
}

/** The whole check on the page as it is now, in light and in dark mode. */
export async function auditPage(page: Page, name: string): Promise<PageReport[]> {
  const reports: PageReport[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const collected = await page.evaluate<CollectedPage>(COLLECT_TEXTS);
    const texts = checkTexts(collected);
    const failures = [...texts.failures];
    for (const html of await page.evaluate<string[]>(UNNAMED_CONTROLS))
      failures.push(`control without a name: ${html}`);
    const boundaries = checkBoundaries(
      await page.evaluate<CollectedControl[]>(COLLECT_CONTROLS),
      canvasOf(collected),
    );
    failures.push(...boundaries.failures);
    const h1s = await page.evaluate<string[]>(H1S);
    if (h1s.length !== 1) failures.push(`${h1s.length} h1 elements (${JSON.stringify(h1s)}), one expected`);
    const focus = await walkFocus(page, canvasOf(collected));
    failures.push(...focus.failures);
    reports.push({
      page: name,
      scheme,
      textsChecked: texts.textsChecked,
      inactiveSkipped: texts.inactiveSkipped,
      lowestRatio: texts.lowestRatio,
      tabStops: focus.stops,
      controlsChecked: boundaries.controlsChecked,
      failures: failures.map((f) => `[${scheme}] ${name}: ${f}`),
      darkStyles: collected.darkStyles,
    });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return reports;
}
