// Standard JSON in on stdin, standard JSON out on stdout, through solc-js (the npm `solc` package).
// forge passes its own arguments (--standard-json, --allow-paths …); the input's remappings and
// sources are all that solc-js needs. Imports are read from disk relative to the working directory.
"use strict";
const fs = require("fs");
const path = require("path");
const solc = require("solc");

const input = fs.readFileSync(0, "utf8");
const bases = [process.cwd()];
function readFileFromDisk(p) {
  for (const base of bases) {
    const full = path.resolve(base, p);
    if (fs.existsSync(full)) return { contents: fs.readFileSync(full, "utf8") };
  }
  return { error: `File not found: ${p}` };
}
process.stdout.write(solc.compile(input, { import: readFileFromDisk }));
