// Types for the boundary rule, so its test type-checks.
import type { Rule } from 'eslint';
export declare const pipelineBoundaries: Rule.RuleModule;
