import { onDemand } from '../util/on-demand';

// a native module (resvg, Rust): loaded only by the one flag that rasterizes
// eslint-disable-next-line @typescript-eslint/no-require-imports
const resvg = onDemand('@resvg/resvg-js', () => require('@resvg/resvg-js') as typeof import('@resvg/resvg-js'));

/**
 * An SVG image as PNG (`traffic run --plot FILE.png`), at the SVG's own size on a white ground.
 * Text uses the machine's fonts (sans-serif: DejaVu Sans where it is installed, as on Debian);
 * a machine without fonts gets the lines and no labels, never an error.
 */
export function pngOfSvg(svg: string): Buffer {
  const { Resvg } = resvg();
  const image = new Resvg(svg, {
    background: 'white',
    font: { loadSystemFonts: true, sansSerifFamily: 'DejaVu Sans', defaultFontFamily: 'DejaVu Sans' },
    logLevel: 'off',
  }).render();
  return Buffer.from(image.asPng());
}
