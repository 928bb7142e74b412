// What the accessibility check reads from a page: computed styles of every visible text, form-control names,
// headings, and the focus style of one element. Plain JavaScript text evaluated in the page; the WCAG arithmetic
// runs in Node (wcag.ts). Layers go from the element out to the root.

/** Shared helpers, defined at the start of every script below. */
const HELPERS = `
  const layersOf = (el) => {
    const out = [];
    for (let e = el; e; e = e.parentElement) {
      const cs = getComputedStyle(e);
      out.push({ background: cs.backgroundColor, image: cs.backgroundImage !== 'none', opacity: Number(cs.opacity) });
    }
    return out;
  };
  const classes = (e) => ((e.getAttribute && e.getAttribute('class')) || '').trim().split(/\\s+/).filter(Boolean);
  const one = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + classes(e).map((c) => '.' + c).join('');
  const describe = (el) => (el.parentElement ? one(el.parentElement) + ' > ' : '') + one(el);
  const shown = (el) => {
    if (el.checkVisibility && !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    const r = el.getBoundingClientRect();
    // Off the page (like a skip link parked at -9999px), whatever the scroll position.
    if (r.width <= 1 || r.height <= 1 || r.right + scrollX <= 0 || r.bottom + scrollY <= 0) return false;
    for (let e = el; e; e = e.parentElement) {
      const cs = getComputedStyle(e);
      const b = e.getBoundingClientRect();
      if (cs.overflow === 'hidden' && (b.width <= 1 || b.height <= 1)) return false;
      if (cs.clip === 'rect(0px, 0px, 0px, 0px)') return false;
    }
    return true;
  };
  const inactive = (el) => !!el.closest(':disabled');
  const textOf = (s) => s.replace(/\\s+/g, ' ').trim().slice(0, 60);
  const nameOf = (el) => {
    const by = el.getAttribute('aria-labelledby');
    if (by) return by.split(/\\s+/).map((id) => (document.getElementById(id) || {}).textContent || '').join(' ').trim();
    const aria = (el.getAttribute('aria-label') || '').trim();
    if (aria) return aria;
    if (el.labels && el.labels.length) return [...el.labels].map((l) => l.textContent || '').join(' ').trim();
    return '';
  };
`;

export interface CollectedLayer {
  background: string;
  image: boolean;
  opacity: number;
}

export interface CollectedText {
  element: string;
  text: string;
  kind: 'text' | 'svg-text' | 'value' | 'placeholder';
  foreground: string;
  fontSize: number;
  fontWeight: number;
  inactive: boolean;
  layers: CollectedLayer[];
}

export interface CollectedPage {
  texts: CollectedText[];
  colorScheme: string;
  prefersDark: boolean;
  /** The stylesheets have a prefers-color-scheme: dark rule. */
  darkStyles: boolean;
}

/** Every visible text: elements with their own text, SVG text, and the value or placeholder of form controls. */
export const COLLECT_TEXTS = `(() => {
  ${HELPERS}
  const texts = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || seen.has(el) || !n.textContent.trim()) continue;
    if (el.closest('script, style, noscript, select, textarea, option')) continue;
    seen.add(el);
    if (!shown(el)) continue;
    const cs = getComputedStyle(el);
    const svg = el.namespaceURI === 'http://www.w3.org/2000/svg';
    const own = [...el.childNodes].filter((c) => c.nodeType === 3).map((c) => c.textContent).join(' ');
    texts.push({
      element: describe(el), text: textOf(own), kind: svg ? 'svg-text' : 'text',
      foreground: svg ? cs.fill : cs.color, fontSize: parseFloat(cs.fontSize), fontWeight: Number(cs.fontWeight),
      inactive: inactive(el), layers: layersOf(el),
    });
  }
  const skip = new Set(['hidden', 'checkbox', 'radio', 'range', 'color', 'file', 'image']);
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (skip.has(el.type) || !shown(el)) continue;
    const cs = getComputedStyle(el);
    const value = el.tagName === 'SELECT' ? (el.selectedOptions[0] || {}).text || '' : el.value;
    const placeholder = !value && el.placeholder;
    if (!value && !placeholder) continue;
    texts.push({
      element: describe(el), text: textOf(value || el.placeholder), kind: placeholder ? 'placeholder' : 'value',
      foreground: placeholder ? getComputedStyle(el, '::placeholder').color : cs.color,
      fontSize: parseFloat(cs.fontSize), fontWeight: Number(cs.fontWeight), inactive: inactive(el),
      layers: layersOf(el),
    });
  }
  let darkStyles = false;
  for (const sheet of document.styleSheets) {
    let rules = [];
    try { rules = [...sheet.cssRules]; } catch { continue; }
    if (rules.some((r) => r.conditionText && /prefers-color-scheme:\\s*dark/.test(r.conditionText))) darkStyles = true;
  }
  return {
    texts,
    colorScheme: getComputedStyle(document.documentElement).colorScheme,
    prefersDark: matchMedia('(prefers-color-scheme: dark)').matches,
    darkStyles,
  };
})()`;

/** Form controls without a name from aria-labelledby, aria-label or a <label>; buttons and links may use their text. */
export const UNNAMED_CONTROLS = `(() => {
  ${HELPERS}
  const out = [];
  for (const el of document.querySelectorAll('input, select, textarea, button, a[href], [role="tab"], [role="button"]')) {
    if (el.type === 'hidden') continue;
    const field = el.matches('input, select, textarea');
    const name = nameOf(el) || (field ? '' : (el.textContent || '').trim());
    if (!name) out.push(el.outerHTML.slice(0, 140));
  }
  return out;
})()`;

/** The text of every h1 in the document. */
export const H1S = `[...document.querySelectorAll('h1')].map((h) => (h.textContent || '').trim())`;

export interface FocusStyle {
  element: string;
  name: string;
  outlineStyle: string;
  outlineWidth: number;
  outlineColor: string;
  boxShadow: string;
  parentLayers: CollectedLayer[];
}

/** Marks the focused element with data-a11y-stop="<n>" and returns its style (null when nothing is focused). */
export const markFocused = (n: number): string => `(() => {
  ${HELPERS}
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  // Still on the same element (a date input moves between its day, month and year on Tab).
  if (el.hasAttribute('data-a11y-stop')) return { same: true };
  el.setAttribute('data-a11y-stop', '${n}');
  const cs = getComputedStyle(el);
  const name = nameOf(el) || textOf(el.textContent || '') || el.getAttribute('title') || '';
  return {
    element: describe(el), name, outlineStyle: cs.outlineStyle, outlineWidth: parseFloat(cs.outlineWidth) || 0,
    outlineColor: cs.outlineColor, boxShadow: cs.boxShadow, parentLayers: layersOf(el.parentElement),
  };
})()`;

/** The style of the element marked `n` now (after focus has moved on), or null if it left the page. */
export const styleOfStop = (n: number): string => `(() => {
  ${HELPERS}
  const el = document.querySelector('[data-a11y-stop="${n}"]');
  if (!el) return null;
  el.removeAttribute('data-a11y-stop');
  const cs = getComputedStyle(el);
  return {
    element: describe(el), name: '', outlineStyle: cs.outlineStyle, outlineWidth: parseFloat(cs.outlineWidth) || 0,
    outlineColor: cs.outlineColor, boxShadow: cs.boxShadow, parentLayers: layersOf(el.parentElement),
    focused: el === document.activeElement,
  };
})()`;

export interface CollectedControl {
  element: string;
  name: string;
  inactive: boolean;
  borderStyle: string;
  borderWidth: number;
  borderColor: string;
  layers: CollectedLayer[];
}

/** Visible form controls, buttons and tabs, with their border and the boxes behind them (for 1.4.11). */
export const COLLECT_CONTROLS = `(() => {
  ${HELPERS}
  const skip = new Set(['hidden', 'checkbox', 'radio', 'range', 'color', 'file', 'image']);
  const out = [];
  for (const el of document.querySelectorAll('input, select, textarea, button, [role="tab"], a.button')) {
    if (skip.has(el.type) || !shown(el)) continue;
    const cs = getComputedStyle(el);
    out.push({
      element: describe(el), name: nameOf(el) || textOf(el.textContent || ''), inactive: inactive(el),
      borderStyle: cs.borderTopStyle, borderWidth: parseFloat(cs.borderTopWidth) || 0, borderColor: cs.borderTopColor,
      layers: layersOf(el),
    });
  }
  return out;
})()`;
