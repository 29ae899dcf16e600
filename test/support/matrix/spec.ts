// The Client-Server API definitions of the Matrix specification (matrix-org/matrix-spec,
// `data/api/client-server/*.yaml`, OpenAPI 3.1, Apache License 2.0), compiled into JSON-schema validators
// for the responses of the endpoints the test homeserver serves.
//
// The definitions are read, not shipped: this repository does not carry a copy of the specification. They
// come from MATRIX_SPEC_DIR (a checkout of matrix-spec), else `shared/matrix-spec/` beside the repository
// (where the project lead can place one), else a stored snapshot of the repository on this machine. Without
// any of them the schema test says so and is skipped.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize, resolve } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { parse } from "yaml";
import { ROOT } from "../childBot.ts";

/** The spec files for the endpoints the test homeserver serves. */
export const SERVED_FILES = [
  "sync",
  "room_send",
  "room_state",
  "rooms",
  "create_room",
  "joining",
  "leaving",
  "inviting",
  "list_joined_rooms",
  "whoami",
  "account-data",
  "filter",
  "message_pagination",
  "relations",
  "redaction",
  "versions",
  "profile",
  "content-repo",
  "authed-content-repo",
  "login",
  "capabilities",
  "pushrules",
  "typing",
  "receipts",
  "read_markers",
];

type Reader = (path: string) => string | null;

/**
 * Where the definitions are, as a reader of paths under the spec repository's root; null when nowhere:
 * `MATRIX_SPEC_DIR` (a checkout, or a bare clone read with `git show HEAD:…`), else `../shared/matrix-spec`.
 */
export function specReader(): { source: string; read: Reader } | null {
  const dirs = [process.env.MATRIX_SPEC_DIR, resolve(ROOT, "..", "shared", "matrix-spec")].filter((d): d is string => !!d);
  for (const dir of dirs) {
    if (existsSync(join(dir, "data/api/client-server/sync.yaml"))) return { source: dir, read: (p) => (existsSync(join(dir, p)) ? readFileSync(join(dir, p), "utf8") : null) };
    const read: Reader = (p) => {
      try {
        return execFileSync("git", ["--git-dir", dir, "show", `HEAD:${p}`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
      } catch {
        return null;
      }
    };
    if (existsSync(join(dir, "HEAD")) && read("data/api/client-server/sync.yaml")) return { source: `${dir} (HEAD)`, read };
  }
  return null;
}

interface Operation {
  method: string;
  /** The full path as a pattern, e.g. ^/_matrix/client/v3/rooms/([^/]+)/send/([^/]+)/([^/]+)$ */
  pattern: RegExp;
  template: string;
  responses: Map<string, ValidateFunction>;
}

export class SpecValidator {
  private readonly operations: Operation[] = [];
  private readonly docs = new Map<string, unknown>();
  /** The standard error response (every endpoint may answer with it) and the rate-limit error. */
  private readonly standardError: ValidateFunction;
  private readonly rateLimited: ValidateFunction;

  constructor(private readonly read: Reader) {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const errors = "data/api/client-server/definitions/errors";
    this.standardError = ajv.compile(this.resolve(this.load(`${errors}/error.yaml`), `${errors}/error.yaml`, 0) as object);
    this.rateLimited = ajv.compile(this.resolve(this.load(`${errors}/rate_limited.yaml`), `${errors}/rate_limited.yaml`, 0) as object);
    for (const name of SERVED_FILES) {
      const file = `data/api/client-server/${name}.yaml`;
      const doc = this.load(file) as {
        servers?: Array<{ variables?: { basePath?: { default?: string } } }>;
        paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
      };
      const base = doc.servers?.[0]?.variables?.basePath?.default ?? "";
      for (const [template, ops] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(ops)) {
          if (!op?.responses) continue;
          // "/rooms/{roomId}/invite " carries a space to tell it from the third-party invite in the spec's sources.
          const full = base + template.trim();
          const pattern = new RegExp(`^${full.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "([^/]*)")}$`);
          const responses = new Map<string, ValidateFunction>();
          for (const [status, response] of Object.entries(op.responses)) {
            const resolved = this.resolve(response, file, 0) as { content?: Record<string, { schema?: unknown }> };
            const schema = resolved?.content?.["application/json"]?.schema;
            if (schema) responses.set(status, ajv.compile(schema as object));
          }
          this.operations.push({ method: method.toUpperCase(), pattern, template: full, responses });
        }
      }
    }
  }

  /** The spec's operation for a request, the most specific (fewest parameters) first. */
  operation(method: string, path: string): Operation | undefined {
    return this.operations
      .filter((o) => o.method === method && o.pattern.test(path))
      .sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0))[0];
  }

  /** Problems of one response against the spec: none when it conforms. */
  check(method: string, path: string, status: number, body: unknown): string[] {
    const op = this.operation(method, path);
    if (!op) return [`${method} ${path}: no such endpoint in the specification`];
    // "Any errors which occur at the Matrix API level MUST return a standard error response" (spec, API
    // standards): an error status an operation does not list is checked against that.
    const validate = op.responses.get(String(status)) ?? (status === 429 ? this.rateLimited : status >= 400 ? this.standardError : undefined);
    if (!validate) return [`${method} ${op.template}: the specification defines no ${status} answer`];
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${method} ${op.template} ${status}: ${e.instancePath || "(body)"} ${e.message} ${JSON.stringify(e.params)}`);
  }

  private load(file: string): unknown {
    if (!this.docs.has(file)) {
      const text = this.read(file);
      if (text === null) throw new Error(`the specification has no ${file}`);
      this.docs.set(file, parse(text));
    }
    return this.docs.get(file);
  }

  /** Inlines every $ref (other files, and JSON pointers into them); a reference cycle ends in an open schema. */
  private resolve(node: unknown, file: string, depth: number): unknown {
    if (depth > 40) return {};
    if (Array.isArray(node)) return node.map((n) => this.resolve(n, file, depth));
    if (!node || typeof node !== "object") return node;
    const obj = node as Record<string, unknown>;
    if (typeof obj.$ref === "string") {
      const [target, pointer] = obj.$ref.split("#") as [string, string | undefined];
      const targetFile = target ? normalize(join(dirname(file), target)) : file;
      let value = this.load(targetFile);
      for (const part of (pointer ?? "").split("/").filter(Boolean)) value = (value as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
      const { $ref: _ref, ...siblings } = obj;
      const resolved = this.resolve(value, targetFile, depth + 1) as Record<string, unknown>;
      return Object.keys(siblings).length ? { ...resolved, ...(this.resolve(siblings, file, depth) as object) } : resolved;
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, k === "example" || k === "examples" ? v : this.resolve(v, file, depth)]));
  }
}
