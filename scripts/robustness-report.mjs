#!/usr/bin/env node
// Writes docs/robustness.md: what the robustness suites tried against writ, how much, and what
// happened, with the date and the machine.
//
//   node scripts/robustness-report.mjs [RESULTS_DIR] [--fuzz DIR] [--out FILE]
//
// RESULTS_DIR (default $WRIT_ROBUSTNESS_OUT, else build/robustness) holds what the suites
// write when run with WRIT_ROBUSTNESS_OUT=RESULTS_DIR:
//   bad_input.json  tests/integration/bad_input.test.mjs: {suite, started, machine, cases: [
//                   {category, endpoint, input, expected, observed, ok, known?, elapsed_ms?}]}
//   soak.json       tests/integration/soak.test.mjs: [{name, seconds, connections, requests, ...}]
//   faults.json     the fault-injection tests: [{name, what_was_tried, how_much, outcome}]
// The fuzzing figures come from the logs fuzz/run_fuzzers.sh leaves in fuzz/corpus-run/
// (--fuzz DIR): executed units, the cov/ft of the last "#N DONE" or "pulse" line, and the
// number of files in each target's scratch corpus. Whatever is missing is reported as
// "not run". Node's standard library only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    fuzz: { type: 'string', default: path.join(root, 'fuzz/corpus-run') },
    out: { type: 'string', default: path.join(root, 'docs/robustness.md') },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (options.help || positionals.length > 1) {
  process.stderr.write('usage: node scripts/robustness-report.mjs [RESULTS_DIR] [--fuzz DIR] [--out FILE]\n');
  process.exit(options.help ? 0 : 2);
}
const resultsDir = path.resolve(positionals[0] ?? process.env.WRIT_ROBUSTNESS_OUT ?? path.join(root, 'build/robustness'));

// A path as the report shows it: relative to the repository when inside it.
function shown(file) {
  const relative = path.relative(root, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

const plural = (count, word) => `${count} ${word}${count === 1 ? '' : 's'}`;

// When a results file was written, for the summary.
function writtenAt(file) {
  return fs.existsSync(file) ? day(fs.statSync(file).mtime) : '–';
}

// ---------------------------------------------------------------------------------------
// Reading.

// The parsed JSON file, null when it is absent; a file that is not JSON stops the report.
function readJson(file) {
  if (!fs.existsSync(file)) {
    return null;
  }
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not JSON (${error.message})`);
  }
}

// A suite's records: a JSON array, or an object holding one under cases/results/records.
function recordsOf(document) {
  if (document === null) {
    return null;
  }
  if (Array.isArray(document)) {
    return document;
  }
  for (const key of ['cases', 'results', 'records']) {
    if (Array.isArray(document[key])) {
      return document[key];
    }
  }
  return [document];
}

// target → scratch corpus folder, from the targets list of fuzz/run_fuzzers.sh.
function fuzzTargets() {
  const script = path.join(root, 'fuzz/run_fuzzers.sh');
  const targets = new Map();
  if (fs.existsSync(script)) {
    for (const match of fs.readFileSync(script, 'utf8').matchAll(/^\s*"(\w+_fuzzer) (\S+) \d+ \S+"/gm)) {
      targets.set(match[1], match[2]);
    }
  }
  return targets;
}

function countFiles(dir) {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isFile()).length;
  } catch {
    return null;
  }
}

// One libFuzzer log: runs, seconds, exec/s, cov, ft, corpus, and whether it failed.
function parseFuzzLog(file, corpusDir) {
  const text = fs.readFileSync(file, 'utf8');
  const number = (pattern) => {
    const match = pattern.exec(text);
    return match ? Number(match[1]) : null;
  };
  let last = null;
  for (const match of text.matchAll(/^#(\d+)\s+(DONE|pulse)\s+cov: (\d+) ft: (\d+) corp: (\d+)\/(\S+)/gm)) {
    last = { units: Number(match[1]), kind: match[2], cov: Number(match[3]), ft: Number(match[4]), corpusUnits: Number(match[5]), corpusBytes: match[6] };
  }
  // The sanitizer's or libFuzzer's verdict, and the target's own message printed just before it.
  const error = /^(.*)\n==\d+==\s*ERROR: (.*)$/m.exec(text);
  const summary = /^SUMMARY: (.*)$/m.exec(text);
  let failure = null;
  if (error || summary) {
    const cause = error && !/^(#\d|INFO:|\s)/.test(error[1]) && error[1].trim() ? ` (${error[1].trim()})` : '';
    failure = `${summary ? summary[1] : error[2]}${cause}`;
  }
  const artifact = /Test unit written to (\S+)/.exec(text);
  const done = /^Done (\d+) runs in (\d+) second/m.exec(text);
  return {
    runs: number(/stat::number_of_executed_units:\s*(\d+)/) ?? (done ? Number(done[1]) : last?.units ?? null),
    seconds: done ? Number(done[2]) : null,
    execPerSecond: number(/stat::average_exec_per_sec:\s*(\d+)/),
    peakRssMb: number(/stat::peak_rss_mb:\s*(\d+)/),
    last,
    corpusFiles: corpusDir ? countFiles(corpusDir) : null,
    failed: failure !== null || artifact !== null,
    failure: failure ?? (artifact ? 'a failing input was written' : null),
    artifact: artifact ? path.basename(artifact[1]) : null,
    complete: done !== null || failure !== null,
    date: fs.statSync(file).mtime,
  };
}

// ---------------------------------------------------------------------------------------
// Writing.

const cell = (value) => String(value ?? '').replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const code = (value) => `\`${String(value).replace(/`/g, "'")}\``;

function table(headers, rows, align = []) {
  const lines = [`| ${headers.join(' | ')} |`, `|${headers.map((_, i) => (align[i] === 'r' ? '---:' : '---')).join('|')}|`];
  for (const row of rows) {
    lines.push(`| ${row.map(cell).join(' | ')} |`);
  }
  return lines.join('\n');
}

const formatCount = (n) => (n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US'));
const day = (date) => date.toISOString().replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC');

// "A ×3; B ×1", most frequent first.
function tally(values) {
  const counts = new Map();
  for (const value of values) {
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const entries = [...counts].sort((a, b) => b[1] - a[1]);
  return entries.length === 1 ? entries[0][0] : entries.map(([value, count]) => `${value} ×${count}`).join('; ');
}

function machineLine(machine) {
  return `${machine.nproc} CPUs (nproc), ${machine.cpu}, ${machine.os}, Node ${machine.node}`;
}

function thisMachine() {
  return {
    nproc: os.availableParallelism(), cpu: os.cpus()[0]?.model?.trim() ?? 'unknown CPU',
    os: `${os.type()} ${os.release()} ${os.arch()}`, node: process.version,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
  };
}

function badInputSection(document) {
  const cases = recordsOf(document);
  if (cases === null) {
    return { summary: ['bad input', 'not run', '–', '–'], text: `## Bad input\n\nNot run: no ${code('bad_input.json')} in ${code(shown(resultsDir))}.` };
  }
  const known = cases.filter((c) => c.known);
  const failed = cases.filter((c) => !c.ok && !c.known);
  const endpoints = new Set(cases.map((c) => c.endpoint));
  const categories = [...new Set(cases.map((c) => c.category ?? 'uncategorised'))];
  const lines = ['## Bad input', ''];
  const when = document.started ? `${day(new Date(document.started))}, ` : '';
  const took = document.duration_ms ? `, ${(document.duration_ms / 1000).toFixed(1)} s` : '';
  lines.push(`${code(document.source ?? 'tests/integration/bad_input.test.mjs')}: ${when}${document.machine ? machineLine(document.machine) : 'machine not recorded'}${took}.`,
    `Each case is one raw HTTP exchange with \`writ serve\` (header and body timeouts 1 s, idle timeout 2 s), judged on`,
    'the status, the error code, whether the connection closes and when. A parallel `/healthz` poller and a',
    'signed-in client must be served throughout; smuggled requests are a victim\'s authenticated logout-all, which',
    'must never run; a random marker in every hostile payload must not reach the audit log or the server\'s output.', '');
  lines.push(table(['category', 'cases', 'endpoints', 'distinct inputs', 'as expected', 'failed', 'known deviations', 'slowest'],
    categories.map((category) => {
      const rows = cases.filter((c) => (c.category ?? 'uncategorised') === category);
      const slowest = Math.max(...rows.map((c) => c.elapsed_ms ?? 0));
      return [category, rows.length, new Set(rows.map((c) => c.endpoint)).size, new Set(rows.map((c) => c.input)).size,
        rows.filter((c) => c.ok).length, rows.filter((c) => !c.ok && !c.known).length, rows.filter((c) => c.known).length,
        slowest > 0 ? `${slowest} ms` : '–'];
    }), ['', 'r', 'r', 'r', 'r', 'r', 'r', 'r']));
  lines.push('', `**${cases.length} cases** over ${endpoints.size} endpoints or places: ${cases.filter((c) => c.ok).length} as expected, `
    + `${failed.length} failed, ${known.length} known deviations.`);
  if (failed.length > 0 || known.length > 0) {
    lines.push('', '### Failures and known deviations', '');
    lines.push(table(['', 'endpoint', 'input', 'expected', 'observed'],
      [...failed, ...known].map((c) => [c.known ? `known: ${c.known}` : '**FAILED**', c.endpoint, c.input, c.expected, c.observed])));
  }
  lines.push('', '### Every input', '', 'One row per input; the endpoints it was sent to are counted, and differing',
    'expectations or observations are tallied (e.g. the answer an endpoint gives without credentials).');
  for (const category of categories) {
    const rows = cases.filter((c) => (c.category ?? 'uncategorised') === category);
    const inputs = [...new Set(rows.map((c) => c.input))];
    lines.push('', `#### ${category}`, '');
    lines.push(table(['input', 'sent to', 'expected', 'observed', 'ok'], inputs.map((input) => {
      const same = rows.filter((c) => c.input === input);
      const targets = [...new Set(same.map((c) => c.endpoint))];
      return [input, targets.length <= 2 ? targets.join(', ') : `${targets.length} endpoints`, tally(same.map((c) => c.expected)),
        tally(same.map((c) => c.observed)), `${same.filter((c) => c.ok).length}/${same.length}`];
    })));
  }
  const result = failed.length > 0 ? `${failed.length} FAILED` : 'all as expected';
  return {
    summary: ['bad input', `${plural(cases.length, 'case')}, ${endpoints.size} endpoints or places, ${plural(categories.length, 'category').replace(/ys$/, 'ies')}`,
      `${result}${known.length > 0 ? `, ${plural(known.length, 'known deviation')}` : ''}`,
      when.replace(/, $/, '') || writtenAt(path.join(resultsDir, 'bad_input.json'))],
    text: lines.join('\n'),
  };
}

function fuzzSection(dir) {
  const targets = fuzzTargets();
  const logs = fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.log')).sort() : [];
  for (const log of logs) {
    const target = log.replace(/\.log$/, '');
    if (!targets.has(target)) {
      targets.set(target, null);
    }
  }
  if (logs.length === 0) {
    return { summary: ['fuzzing', 'not run', '–', '–'], text: `## Fuzzing\n\nNot run: no ${code('*.log')} from ${code('fuzz/run_fuzzers.sh')} in ${code(shown(dir))}.` };
  }
  const rows = [];
  let runs = 0;
  let failures = 0;
  let ran = 0;
  let newest = null;
  for (const [target, corpus] of [...targets].sort()) {
    const file = path.join(dir, `${target}.log`);
    if (!fs.existsSync(file)) {
      rows.push([target, 'not run', '–', '–', '–', '–', '–', '–', '–']);
      continue;
    }
    const log = parseFuzzLog(file, corpus ? path.join(dir, corpus) : null);
    ran += 1;
    runs += log.runs ?? 0;
    failures += log.failed ? 1 : 0;
    newest = newest === null || log.date > newest ? log.date : newest;
    const result = log.failed ? `**FAILED**: ${log.failure}${log.artifact ? ` (${log.artifact})` : ''}` : log.complete ? 'ok' : 'incomplete log';
    rows.push([target, formatCount(log.runs), log.seconds ?? '–', formatCount(log.execPerSecond),
      log.last ? `${log.last.cov} / ${log.last.ft}` : '–',
      log.last ? `${formatCount(log.last.corpusUnits)} (${log.last.corpusBytes})` : '–',
      log.corpusFiles === null ? '–' : formatCount(log.corpusFiles), result, day(log.date)]);
  }
  const text = ['## Fuzzing', '',
    `libFuzzer targets (ASan + UBSan) as last run by ${code('fuzz/run_fuzzers.sh BUILD_DIR SECONDS')} (or ${code('fuzz/run-long')}),`,
    `read from ${code(shown(dir))}. *cov / ft* are the coverage counters of the last \`DONE\` or \`pulse\``,
    'line; *corpus* is what the fuzzer held at the end and the files left in the scratch corpus folder. A failed',
    'target keeps its input in `fuzz/corpus-run/artifacts/`. Targets may have run several at once',
    `(${code('FUZZ_PARALLEL')}; ${code('fuzz/run-long')} runs one per CPU): *exec/s* is then a target's share of the machine.`, '',
    table(['target', 'runs', 'seconds', 'exec/s', 'cov / ft', 'corpus (units, size)', 'corpus files', 'result', 'log written'], rows,
      ['', 'r', 'r', 'r', 'r', 'r', 'r', '', '']),
    '', `${ran} of ${targets.size} targets have a log: ${formatCount(runs)} inputs executed, ${failures} failed.`].join('\n');
  return {
    summary: ['fuzzing', `${plural(ran, 'target')}, ${formatCount(runs)} inputs`, failures > 0 ? `${failures} FAILED` : 'no crash', newest ? day(newest) : '–'],
    text,
  };
}

// Any array of flat-ish records as a table: scalar members, one level of nesting as a.b,
// arrays as their length.
function genericTable(records) {
  const columns = [];
  const flat = records.map((record) => {
    const out = {};
    for (const [key, value] of Object.entries(record ?? {})) {
      if (Array.isArray(value)) {
        out[key] = `${value.length} items`;
      } else if (value !== null && typeof value === 'object') {
        for (const [sub, inner] of Object.entries(value)) {
          out[`${key}.${sub}`] = inner !== null && typeof inner === 'object' ? JSON.stringify(inner) : inner;
        }
      } else {
        out[key] = value;
      }
    }
    for (const key of Object.keys(out)) {
      if (!columns.includes(key)) {
        columns.push(key);
      }
    }
    return out;
  });
  return table(columns, flat.map((row) => columns.map((column) => row[column] ?? '')));
}

function soakSection(document) {
  const records = recordsOf(document);
  if (records === null) {
    return { summary: ['soak', 'not run', '–', '–'], text: `## Soak\n\nNot run: no ${code('soak.json')} in ${code(shown(resultsDir))}.` };
  }
  const lines = ['## Soak', '', `${code('tests/integration/soak.test.mjs')}: a realistic request mix from many keep-alive connections;`,
    'memory and descriptors sampled each second.', ''];
  const shaped = records.every((r) => r && typeof r.name === 'string' && 'requests' in r);
  let failing = 0;
  if (shaped) {
    const errorsOf = (r) => Object.values(r.errors ?? {}).reduce((sum, n) => sum + Number(n || 0), 0);
    failing = records.filter((r) => errorsOf(r) > 0).length;
    lines.push(table(['run', 'seconds', 'connections', 'requests', 'per second', 'errors', 'RSS MiB warm → end (max)', 'fds warm → end (max)'],
      records.map((r) => [r.name, r.seconds, r.connections, formatCount(r.requests), formatCount(r.per_second), errorsOf(r) === 0 ? '0' : JSON.stringify(r.errors),
        r.rss_mib ? `${r.rss_mib.warm} → ${r.rss_mib.end} (${r.rss_mib.max})` : '–', r.fds ? `${r.fds.warm} → ${r.fds.end} (${r.fds.max})` : '–']),
      ['', 'r', 'r', 'r', 'r', 'r', 'r', 'r']));
    const latency = records.flatMap((r) => Object.entries(r.kinds ?? {}).map(([kind, k]) => [r.name, kind, formatCount(k.count), k.p50_ms, k.p90_ms, k.p99_ms, k.max_ms]));
    if (latency.length > 0) {
      lines.push('', 'Latency per kind of request, in ms:', '', table(['run', 'kind', 'count', 'p50', 'p90', 'p99', 'max'], latency, ['', '', 'r', 'r', 'r', 'r', 'r']));
    }
  } else {
    lines.push(genericTable(records));
  }
  return {
    summary: ['soak', plural(records.length, 'run'), shaped ? (failing > 0 ? `${failing} with errors` : 'no errors') : 'see table',
      writtenAt(path.join(resultsDir, 'soak.json'))],
    text: lines.join('\n'),
  };
}

function faultsSection(document) {
  const records = recordsOf(document);
  if (records === null) {
    return { summary: ['faults', 'not run', '–', '–'], text: `## Faults\n\nNot run: no ${code('faults.json')} in ${code(shown(resultsDir))}.` };
  }
  const shaped = records.every((r) => r && ['name', 'what_was_tried', 'how_much', 'outcome'].every((key) => key in r));
  const text = ['## Faults', '', 'Fault-injection scenarios (a store or Redis going away, the server killed mid-stream, …).', '',
    shaped ? table(['scenario', 'what was tried', 'how much', 'outcome'], records.map((r) => [r.name, r.what_was_tried, r.how_much, r.outcome]))
      : genericTable(records)].join('\n');
  return { summary: ['faults', plural(records.length, 'scenario'), 'see table', writtenAt(path.join(resultsDir, 'faults.json'))], text };
}

// ---------------------------------------------------------------------------------------

const sections = [
  badInputSection(readJson(path.join(resultsDir, 'bad_input.json'))),
  fuzzSection(path.resolve(options.fuzz)),
  soakSection(readJson(path.join(resultsDir, 'soak.json'))),
  faultsSection(readJson(path.join(resultsDir, 'faults.json'))),
];
const machine = thisMachine();
const document = [
  '# Robustness',
  '',
  `Generated ${day(new Date())} by ${code('scripts/robustness-report.mjs')} on ${machineLine(machine)}, ${machine.memory} of memory.`,
  'Do not edit by hand: run the suites with `WRIT_ROBUSTNESS_OUT=DIR`, then',
  '`node scripts/robustness-report.mjs DIR` (see `tests/integration/README.md`).',
  '',
  table(['suite', 'what was tried', 'result', 'when'], sections.map((section) => section.summary)),
  '',
  ...sections.flatMap((section) => [section.text, '']),
].join('\n');
fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
fs.writeFileSync(options.out, document);
process.stdout.write(`wrote ${options.out}: ${sections.map((section) => `${section.summary[0]} ${section.summary[2] === '–' ? 'not run' : section.summary[2]}`).join(', ')}\n`);
