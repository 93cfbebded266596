/** Go's %v of a float64 (strconv 'g', shortest): `1.5`, `1e+06`, `1e-07`. */
export function formatGoFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa, exponentText] = n.toExponential().split('e');
  const exponent = Number(exponentText);
  // strconv's 'g' with the shortest precision decides on %e with precision 6: exp < -4 || exp >= 6
  if (exponent < -4 || exponent >= 6) return `${mantissa}e${exponentSuffix(exponent)}`;
  return String(n);
}

/** Go writes exponents with a sign and at least two digits: `e+06`, `e-10`. */
export function exponentSuffix(exponent: number): string {
  return `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
}
