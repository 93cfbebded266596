import { executePartial, type TemplateExecError } from './exec';
import { FUNCS } from './funcs';
import { Tree, type ParsedTree } from './parse';
import { fromData, type Concrete } from './values';

export { TemplateParseError } from './parse';
export { TemplateExecError } from './exec';

/**
 * A Go text/template as kubectl builds it (cli-runtime printers/template.go):
 * named "output", with text/template's builtins plus `exists` and `base64decode`.
 */
export interface GoTemplate {
  readonly source: string;
  readonly trees: Map<string, ParsedTree>;
}

const NAME = 'output';

/** template.New("output").Funcs(…).Parse(text); throws TemplateParseError with Go's text. */
export function parseGoTemplate(text: string): GoTemplate {
  const trees = new Map<string, ParsedTree>();
  new Tree(NAME, (name) => name in FUNCS).parse(text, trees);
  return { source: text, trees };
}

/**
 * Executes over unstructured content. The output written before a failure is returned
 * with the error, as Go's Execute leaves it in the writer.
 */
export function executeGoTemplate(
  template: GoTemplate,
  data: unknown,
  opts: { allowMissingKeys: boolean },
): { output: string; error?: TemplateExecError } {
  const value = fromData(data);
  return executePartial(template.trees, NAME, value as Concrete, { missingKeyError: !opts.allowMissingKeys });
}
