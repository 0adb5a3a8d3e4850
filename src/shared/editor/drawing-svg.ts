import { DRAWING_DEFAULT_SIZE } from './drawing';

/** Colours we write into SVG attributes: hex, a CSS name, `transparent`, `currentColor` or rgb()/rgba()/hsl(). */
const COLOR =
  /^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,32}|(rgb|rgba|hsl|hsla)\(\s*[0-9.%]+(\s*,\s*[0-9.%]+){2,3}\s*\))$/;

export const isSvgColor = (value: string): boolean => COLOR.test(value);

const finite = (value: unknown, fallback: number, min: number, max: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;

const round = (value: number): string => String(Math.round(value * 100) / 100);

/**
 * A drawing block's attributes as an SVG document. Everything taken from the document is checked: sizes and
 * points must be finite numbers, colours must look like colours (anything else falls back), so stored content
 * can never inject markup.
 */
export function drawingToSvg(
  attrs: Record<string, unknown>,
  options: { bg?: string; scale: number },
): string {
  const width = finite(attrs.width, DRAWING_DEFAULT_SIZE.width, 1, 20_000);
  const height = finite(attrs.height, DRAWING_DEFAULT_SIZE.height, 1, 20_000);
  const strokes = Array.isArray(attrs.strokes) ? (attrs.strokes as unknown[]) : [];
  const paths: string[] = [];
  for (const stroke of strokes) {
    if (typeof stroke !== 'object' || stroke === null) continue;
    const { points, color, width: strokeWidth } = stroke as Record<string, unknown>;
    if (!Array.isArray(points)) continue;
    const coordinates = points.flatMap((point: unknown) =>
      Array.isArray(point) &&
      typeof point[0] === 'number' &&
      typeof point[1] === 'number' &&
      Number.isFinite(point[0]) &&
      Number.isFinite(point[1])
        ? [`${round(point[0])} ${round(point[1])}`]
        : [],
    );
    if (coordinates.length === 0) continue;
    const d = `M${coordinates[0]!}${coordinates.length > 1 ? ` L${coordinates.slice(1).join(' L')}` : ''}`;
    const stroked = typeof color === 'string' && isSvgColor(color) ? color : '#000000';
    paths.push(
      `  <path d="${d}" stroke="${stroked}" fill="none" stroke-width="${round(finite(strokeWidth, 2, 0.1, 200))}" stroke-linecap="round" stroke-linejoin="round"/>`,
    );
  }
  const background =
    options.bg === undefined ? [] : [`  <rect width="100%" height="100%" fill="${options.bg}"/>`];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${round(width)} ${round(height)}" width="${round(width * options.scale)}" height="${round(height * options.scale)}">`,
    ...background,
    ...paths,
    '</svg>',
    '',
  ].join('\n');
}
