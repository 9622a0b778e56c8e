// Lint Cypher statements with Neo4j's own parser and semantic analysis.
//
// stdin:  {"schema": {"labels": [...], "relationshipTypes": [...], "propertyKeys": [...]},
//          "statements": [{"name": "...", "text": "...", "params": ["rows", ...]}, ...]}
// stdout: {"version": "<package version>",
//          "results": {"<name>": [{"severity": "error"|"warning", "message": "...",
//                                  "line": 1, "column": 0}, ...], ...}}
// The declared parameter names are passed in dbSchema.parameters, so "Parameter $x is not
// defined" is reported only for a parameter the statement uses but does not declare.
import { readFileSync } from 'node:fs';
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const pkg = new URL('./node_modules/@neo4j-cypher/language-support/package.json', import.meta.url);
const { version } = JSON.parse(readFileSync(pkg, 'utf8'));

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };
const input = JSON.parse(readFileSync(0, 'utf8'));
const schema = input.schema ?? {};
const results = {};
for (const st of input.statements) {
  const parameters = Object.fromEntries((st.params ?? []).map((p) => [p, null]));
  const dbSchema = { ...schema, parameters };
  const { diagnostics } = lintCypherQuery(st.text, dbSchema);
  results[st.name] = diagnostics.map((d) => ({
    severity: SEVERITY[d.severity] ?? String(d.severity),
    message: d.message,
    line: d.range.start.line + 1,
    column: d.range.start.character,
  }));
}
process.stdout.write(JSON.stringify({ version, results }));
