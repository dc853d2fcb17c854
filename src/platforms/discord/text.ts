/**
 * Cuts text to Discord's length limits, which count UTF-16 code units (JavaScript's `.length`):
 * an emoji counts twice. Cuts only between code points, so a character is never split, and marks
 * the cut with an ellipsis.
 */
export function fit(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let kept = '';
  for (const point of text) {
    if (kept.length + point.length > maxLength - 1) break;
    kept += point;
  }
  return `${kept}…`;
}
