// National Drug Codes: any written form (4-4-2, 5-3-2, 5-4-1, 5-4-2, 11 digits) to the 11-digit 5-4-2 form RxNorm uses.

/**
 * The 11-digit NDC (no dashes), or undefined when the text is not an NDC whose segments are known.
 * FDA NDCs have 10 digits in three segments (labeler-product-package) as 4-4-2, 5-3-2 or 5-4-1; the
 * HIPAA 11-digit form pads the short segment with a leading zero (NLM RxNorm stores NDCs this way, ATN=NDC).
 * A bare 10-digit string is refused: without dashes the short segment cannot be known.
 */
export function normalizeNdc(text: string): string | undefined {
  const trimmed = text.trim();
  if (/^\d{11}$/.test(trimmed)) return trimmed;
  const match = /^(\d{4,5})[-\s](\d{3,4})[-\s](\d{1,2})$/.exec(trimmed);
  if (!match) return undefined;
  const [, labeler = '', product = '', pack = ''] = match;
  const lengths = `${labeler.length}-${product.length}-${pack.length}`;
  switch (lengths) {
    case '5-4-2':
      return labeler + product + pack;
    case '4-4-2':
      return `0${labeler}${product}${pack}`;
    case '5-3-2':
      return `${labeler}0${product}${pack}`;
    case '5-4-1':
      return `${labeler}${product}0${pack}`;
    default:
      return undefined;
  }
}
