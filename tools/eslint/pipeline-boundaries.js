// ESLint rule: imports between src/ folders follow the pipeline (ARCHITECTURE §2), adapters are chosen only at the top.
import path from 'node:path';

/** Stage order: a stage may import itself and earlier stages, never later ones. */
const STAGES = [
  'inbound',
  'normalize',
  'extract',
  'terminology',
  'reconcile',
  'checks',
  'review',
  'outbound',
];
const STAGE_RANK = { ...Object.fromEntries(STAGES.map((s, i) => [s, i])), checks: 4, reconcile: 4 };
/** Folders that hold ports (files directly inside) and adapters (sub-folders named for a technology). */
const PORT_ROOTS = ['platform', 'governance'];
/** Only these may pick adapters. */
const COMPOSERS = ['main.ts', 'main.test.ts', 'cli', 'pipeline'];
/** Terminology is consumed through its port by earlier stages (extract codes what it finds). */
const PORT_EXCEPTIONS = new Set(['terminology/terminology.ts']);

function srcRelative(file) {
  const norm = file.split(path.sep).join('/');
  const at = norm.lastIndexOf('/src/');
  return at === -1 ? undefined : norm.slice(at + 5);
}

function isAdapterPath(rel) {
  const parts = rel.split('/');
  return PORT_ROOTS.includes(parts[0]) && parts.length >= 4;
}

export const pipelineBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'one-way imports between pipeline stages; adapters only in composition code' },
    schema: [],
    messages: {
      upstream:
        '{{from}} may not import {{to}}: imports flow inbound → normalize → extract → terminology → reconcile/checks → review → outbound',
      adapter:
        '{{from}} may not import the adapter {{to}}: only main.ts, cli/ and pipeline/ choose adapters; import the port',
      kernel: 'kernel/ may import only kernel/ (it is shared by every stage)',
      composer:
        '{{from}} may not import {{to}}: composition code (main.ts, cli/, pipeline/) is imported only by composition code',
    },
  },
  create(context) {
    const fromRel = srcRelative(context.filename);
    if (!fromRel) return {};
    const fromTop = fromRel.split('/')[0];
    const fromIsComposer = COMPOSERS.includes(fromTop);
    function check(node, source) {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const toAbs = path.resolve(path.dirname(context.filename), source);
      const toRel = srcRelative(toAbs);
      if (!toRel) return;
      const toTop = toRel.split('/')[0];
      if (fromTop === toTop && !isAdapterPath(toRel)) return;
      if (fromTop === 'kernel' && toTop !== 'kernel') {
        context.report({ node, messageId: 'kernel' });
        return;
      }
      if (COMPOSERS.includes(toTop) && !COMPOSERS.includes(fromTop)) {
        context.report({ node, messageId: 'composer', data: { from: fromRel, to: toRel } });
        return;
      }
      if (isAdapterPath(toRel) && !fromIsComposer) {
        // An adapter may use its own sibling files and the ports above it.
        const sameAdapter =
          fromRel.split('/').slice(0, 3).join('/') === toRel.split('/').slice(0, 3).join('/');
        if (!sameAdapter) context.report({ node, messageId: 'adapter', data: { from: fromRel, to: toRel } });
        return;
      }
      const fromRank = STAGE_RANK[fromTop];
      const toRank = STAGE_RANK[toTop];
      if (
        fromRank !== undefined &&
        toRank !== undefined &&
        toRank > fromRank &&
        !PORT_EXCEPTIONS.has(toRel)
      ) {
        context.report({ node, messageId: 'upstream', data: { from: fromRel, to: toRel } });
      }
      if (PORT_ROOTS.includes(fromTop) && toRank !== undefined) {
        context.report({ node, messageId: 'upstream', data: { from: fromRel, to: toRel } });
      }
    }
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};
