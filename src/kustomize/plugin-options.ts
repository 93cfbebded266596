import type { FunctionOptions } from './functions';
import type { HelmConfig } from './helm';
import type { ProgramEnv } from './program';

/**
 * kustomize's PluginConfig as kubectl kustomize's flags set it (HonorKustomizeFlags): -k on the
 * other verbs builds with kustomize's defaults, which allow neither helm nor functions.
 */
export interface PluginOptions {
  /** --enable-alpha-plugins: KRM function plugins (and helm, which it enables too) */
  enableAlphaPlugins: boolean;
  helm: HelmConfig;
  functions: FunctionOptions;
  /** the environment helm and docker inherit, and where a function's stderr goes */
  programs: ProgramEnv;
}
