import * as fs from 'node:fs';
import * as path from 'node:path';

/** A certificate or key file as kubeconfig embeds it (`*-data`, base64); an unreadable file embeds nothing, as kubectl's ignored ReadFile error. */
export function readCertificateFile(file: string, cwd: string): string {
  try {
    return fs.readFileSync(path.resolve(cwd, file)).toString('base64');
  } catch {
    return '';
  }
}

/**
 * A file path as set-cluster and set-credentials store it: made absolute, then relative to the
 * config file's folder when it lies under it (clientcmd's RelativizePathWithNoBacksteps).
 */
export function configRelativePath(file: string, cwd: string, configFile: string): string {
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(path.dirname(configFile), absolute);
  return relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
}
