// Every match of a global pattern, found with exec on the shared pattern instead of String.prototype.matchAll.

/**
 * `text.matchAll(pattern)` clones the pattern on every call, which costs more than the match itself on the short
 * strings extraction reads thousands of times per note. This runs the shared global (or sticky) pattern from the
 * start and collects every match before returning, so a caller may reuse the pattern inside its loop.
 */
export function allMatches(pattern: RegExp, text: string): RegExpExecArray[] {
  if (!pattern.global) throw new Error(`allMatches needs a global pattern: ${pattern.source}`);
  const out: RegExpExecArray[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    out.push(m);
    // An empty match would match again at the same place: step over it (by code point under the u flag).
    if (m[0].length === 0) {
      const code = text.codePointAt(pattern.lastIndex) ?? 0;
      pattern.lastIndex += pattern.unicode && code > 0xffff ? 2 : 1;
    }
  }
  pattern.lastIndex = 0;
  return out;
}
