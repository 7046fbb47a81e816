import Ajv04Module from 'ajv-draft-04';

const Ajv04 = Ajv04Module.default;

/** A fresh draft-04 Ajv, independent of the runtime's. */
export function newDraft04Ajv() {
  return new Ajv04({ allErrors: true, strict: false });
}
