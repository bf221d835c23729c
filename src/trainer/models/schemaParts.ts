// The parts of src/shared/gan.config.schema.json the family registry owns: the "model" key's
// enum and texts and the "params" keys. scripts/gen-schema.mjs bundles this file, asks it for
// them and splices them into the schema file, leaving everything else as written.
import { COMMON_PARAMS } from './common/params';
import type { ParamsFragment } from './familyInfo';
import { FAMILY_INFOS, MODEL_KINDS } from './infos';

/** A JSON path in the schema -> the value the registry gives it. */
export type SchemaParts = [path: string[], value: unknown][];

/** Every params key once: the common ones first, then each family's own in registry order. */
function paramsProperties(): ParamsFragment {
  const out: Record<string, ParamsFragment[string]> = { ...COMMON_PARAMS };
  for (const kind of MODEL_KINDS) {
    for (const [key, schema] of Object.entries(FAMILY_INFOS[kind].params)) {
      if (key in out) throw new Error(`params.${key} of family "${kind}" is declared twice: keys more than one family reads go to common/params.ts`);
      out[key] = schema;
    }
  }
  return out;
}

/** Families that read the same params share one entry: [["gan", "dcgan"], ["latentDim", ...]]. */
function paramsByFamily(): [string[], readonly string[]][] {
  const groups: [string[], readonly string[]][] = [];
  for (const kind of MODEL_KINDS) {
    const keys = FAMILY_INFOS[kind].paramKeys;
    const same = groups.find(([, k]) => k.join() === keys.join());
    if (same) same[0].push(kind);
    else groups.push([[kind], keys]);
  }
  return groups;
}

export function schemaParts(): SchemaParts {
  const model = ['properties', 'model'], params = ['properties', 'params'];
  const named = MODEL_KINDS.map((k) => (FAMILY_INFOS[k].schemaNote ? `${k} (${FAMILY_INFOS[k].schemaNote})` : k));
  const groups = paramsByFamily();
  return [
    [[...model, 'enum'], [...MODEL_KINDS]],
    [[...model, 'description'], `GAN family: ${named.join(', ')}.`],
    [[...model, 'enumDescriptions'], MODEL_KINDS.map((k) => FAMILY_INFOS[k].enumDescription)],
    [[...params, 'description'], `Family-specific hyper-parameters. ${groups.map(([kinds, keys]) => `${kinds.join(', ')}: ${keys.join(', ')}.`).join(' ')} A modelFile reads them as spec.params.`],
    [[...params, 'markdownDescription'], `Family-specific hyper-parameters (a \`modelFile\` reads them as \`spec.params\`):\n\n${groups
      .map(([kinds, keys]) => `- **${kinds.join(', ')}**: ${keys.map((k) => `\`${k}\``).join(', ')}`).join('\n')}`],
    [[...params, 'properties'], paramsProperties()],
  ];
}
