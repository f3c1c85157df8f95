// Export the task data of an unpacked @huggingface/tasks package to the plain JSON that data/huggingface/ ships.
// Run by scripts/update-catalog:  node scripts/export-hf-tasks.mjs PACKAGE_DIR VERSION > data/huggingface/tasks.json
// Keeps, for each described task: its id, label, modality, summary, the types of its demo's inputs and
// outputs, its canonical models, datasets and metrics, in the package's own order; nothing is added.
import { pathToFileURL } from "node:url";

const [dir, version] = process.argv.slice(2);
const { TASKS_DATA, PIPELINE_DATA } = await import(pathToFileURL(`${dir}/dist/esm/index.js`).href);
const pick = (items) => (items ?? []).map(({ id, description }) => ({ id, description: description ?? "" }));
const tasks = Object.keys(TASKS_DATA)
  .sort()
  .map((key) => TASKS_DATA[key])
  .filter((task) => task && !task.isPlaceholder && task.summary)
  .map((task) => ({
    id: task.id,
    label: task.label,
    modality: PIPELINE_DATA[task.id]?.modality ?? "other",
    summary: task.summary,
    inputs: [...new Set((task.demo?.inputs ?? []).map((i) => i.type))],
    outputs: [...new Set((task.demo?.outputs ?? []).map((o) => o.type))],
    models: pick(task.models),
    datasets: pick(task.datasets),
    metrics: pick(task.metrics),
  }));
process.stdout.write(JSON.stringify({ format: "huggingface-tasks/1", package: "@huggingface/tasks", version, tasks }, null, 1) + "\n");
