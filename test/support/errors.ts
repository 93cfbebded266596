import { CliError } from '../../src/util/errors';

/** The CliError an action throws (any other outcome fails the test). */
export function errorOf(action: () => unknown): CliError {
  try {
    action();
  } catch (e) {
    if (e instanceof CliError) return e;
    throw e;
  }
  throw new Error('expected a CliError');
}
