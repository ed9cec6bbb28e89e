// The GitHub workflows, which cannot run here: both parse as YAML and name the right triggers and
// commands. CI runs the README's test command (.ci/run) on every push and pull request; a version tag
// publishes to the npm registry with provenance (which needs the OIDC token, id-token: write).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.join(__dirname, "..", "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));

// js-yaml as mocha ships it (mocha reads .mocharc.yml with it): no YAML parser of our own to install.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved from mocha's own dependencies
const yaml = require(require.resolve("js-yaml", { paths: [path.dirname(require.resolve("mocha/package.json"))] })) as {
  load(text: string): unknown;
};

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  "runs-on": string;
  container?: string;
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

function workflow(name: string): Workflow {
  return yaml.load(fs.readFileSync(path.join(root, ".github", "workflows", name), "utf8")) as Workflow;
}

/** The one job of a workflow (each has one: a second would be a second thing to keep true). */
function onlyJob(flow: Workflow): Job {
  const jobs = Object.values(flow.jobs);
  assert.equal(jobs.length, 1, "one job");
  return jobs[0];
}

const runs = (job: Job) => job.steps.flatMap((step) => (step.run ? [step.run.trim()] : []));
const setupNode = (job: Job) => job.steps.find((step) => step.uses?.startsWith("actions/setup-node@"));

describe("GitHub workflows", () => {
  describe("ci.yml", () => {
    const flow = workflow("ci.yml");
    const job = onlyJob(flow);

    it("runs on every push and pull request", () => {
      assert.deepEqual(Object.keys(flow.on).sort(), ["pull_request", "push"]);
      assert.equal(flow.on.push, null, "every branch and tag");
    });

    it("checks out and runs .ci/run on Linux with Node.js 20, the oldest major the package supports", () => {
      assert.match(job["runs-on"], /^ubuntu-/);
      assert.ok(job.steps[0].uses?.startsWith("actions/checkout@"), "checkout first");
      assert.equal(setupNode(job)?.with?.["node-version"], 20);
      assert.ok(pkg.engines.node.startsWith(">=20."), `engines.node ${pkg.engines.node}`);
      assert.deepEqual(runs(job), ["bash .ci/run"]);
      assert.ok(fs.existsSync(path.join(root, ".ci", "run")));
    });

    it("runs it where .ci/run can install its Debian packages: a root shell with apt", () => {
      // test-all.js installs chromium and redis-server with apt-get only as root (else the tests that
      // need them are skipped, which fails under CI).
      assert.match(job.container ?? "", /^debian:/);
    });

    it("reads the repository and writes nothing", () => {
      assert.deepEqual(flow.permissions, { contents: "read" });
    });
  });

  describe("publish.yml", () => {
    const flow = workflow("publish.yml");
    const job = onlyJob(flow);

    it("runs when a version tag is pushed, and only then", () => {
      assert.deepEqual(Object.keys(flow.on), ["push"]);
      assert.deepEqual(flow.on.push, { tags: ["v*"] });
    });

    it("installs from the lock file and publishes with provenance, publicly (a scoped package)", () => {
      assert.ok(job.steps[0].uses?.startsWith("actions/checkout@"), "checkout first");
      assert.equal(setupNode(job)?.with?.["registry-url"], "https://registry.npmjs.org");
      assert.deepEqual(runs(job), ["npm ci", "npm publish --provenance --access public"]);
      assert.ok(pkg.name.startsWith("@"), "scoped: npm publishes it private without --access public");
    });

    it("may ask for the OIDC token provenance is signed with, and authenticates from a secret", () => {
      assert.equal({ ...flow.permissions, ...job.permissions }["id-token"], "write");
      const publish = job.steps.find((step) => step.run?.startsWith("npm publish"));
      assert.match(publish?.env?.NODE_AUTH_TOKEN ?? "", /^\$\{\{\s*secrets\.[A-Z_]+\s*\}\}$/);
    });
  });
});
