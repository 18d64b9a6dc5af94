/** Where a rule's page lives: `rules-docs/<id>.md`, the same name as the rule, its file and its test. */
export function ruleDocsUrl(ruleId: string): string {
  return `https://github.com/stateless-dev/stateless/blob/main/rules-docs/${ruleId}.md`;
}
