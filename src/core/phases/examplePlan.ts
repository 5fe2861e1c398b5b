/** What "Open Phases Plan" writes when the workspace has no plan yet. */
export const examplePlan = `{
  // A phase = every combination of its axes × reruns. Each entry is one command run; the command
  // writes its result JSON to {result}. Axis names are yours; values may contain "_".
  "phases": [
    {
      "name": "p1",
      "axes": {
        "level": ["easy", "hard"],
        "model": ["llama_3_8b", "qwen2_7b"],
        "config": ["baseline"]
      },
      "reruns": 2,
      "command": "python run.py --level {level} --model {model} --config {config} --rerun {rerun} --out {result}"
      // "vramGb": 20,          // hosts with smaller GPUs never take this phase
      // "captureEnv": true     // save \`pip freeze\` with every result
    }
  ],
  // Optional: per host, which phases and axis values it may take.
  "runners": {
    // "gpu-box-1": { "phases": ["p1"], "allow": { "model": ["qwen2_7b"] } }
  }
}
`;
