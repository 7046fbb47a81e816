import type { HandoffTrace } from '@baton/core';

/**
 * The applied decision rule from the assessIntent step's summary: the rule's name (e.g.
 * `confidence_below_threshold`) and the decision's sentence, without the rules that were tried and
 * did not apply (their names are in the summary too and would match any "contains").
 */
export function decisionRuleOf(summary: string | undefined): string | undefined {
  if (summary === undefined) return undefined;
  const [head = '', tried = ''] = summary.split('. Rules tried: ');
  const applied = tried.split('; ').find((t) => t.endsWith(': applies.') || t.endsWith(': applies'));
  return applied ? `${applied.split(' ')[0]}: ${head}` : head;
}

/** The rules a handoff trace says chose its decision and its queue (what `expectHandoff` checks). */
export function handoffRulesOf(trace: HandoffTrace | undefined): { decisionRule?: string; routingRule?: string } {
  const summary = (step: string) => trace?.steps.find((s) => s.step === step)?.summary;
  const decisionRule = decisionRuleOf(summary('assessIntent'));
  const routingRule = summary('handToQueue');
  return {
    ...(decisionRule !== undefined && { decisionRule }),
    ...(routingRule !== undefined && { routingRule }),
  };
}
