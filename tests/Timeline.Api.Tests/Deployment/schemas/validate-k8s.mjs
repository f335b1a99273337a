// Validates Kubernetes objects against the schemas of the Kubernetes OpenAPI, as compiled by kubernetes-models.
// Usage: node validate-k8s.mjs objects.json   (a JSON array of objects). Prints a JSON array: one entry per object,
// { kind, name, errors }, errors empty when valid; exits 0 unless it could not run at all.
import { readFileSync } from "node:fs";

const objects = JSON.parse(readFileSync(process.argv[2], "utf8"));
const results = [];
for (const object of objects) {
  const { apiVersion = "", kind = "", metadata = {} } = object;
  // "apps/v1" -> apps/v1, "v1" -> v1: the package's folders follow the API group and version.
  const module = `kubernetes-models/${apiVersion}/${kind}`;
  let errors = [];
  try {
    const Model = (await import(module))[kind];
    new Model(object).validate();
  } catch (error) {
    errors = [error.code === "ERR_MODULE_NOT_FOUND" ? `no schema for ${apiVersion} ${kind}` : String(error.message ?? error)];
  }
  results.push({ kind, name: metadata.name ?? "", errors });
}
process.stdout.write(JSON.stringify(results));
