// The emulator's source follows its layers (emulator-layers.ts): no import circles, no lower layer importing a
// higher one, and the rules inside a layer hold. Read from the source itself, so a new import that breaks them fails.
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { EMULATOR_LAYERS, ENTRY_POINTS, INNER_RULES, layerOf, matches } from "./emulator-layers.ts";
import { findCircles, type ImportEdge, readImportGraph } from "./import-graph.ts";

const SOURCE = fileURLToPath(new URL("../../src/", import.meta.url));

let files: string[];
let edges: ImportEdge[];

beforeAll(async () => {
  ({ files, edges } = await readImportGraph(SOURCE));
});

const describeEdge = (edge: ImportEdge) => `${edge.from} -> ${edge.to}${edge.typeOnly ? " (type only)" : ""}`;

describe("the emulator's modules and their layers", () => {
  it("reads a graph with the modules it knows are there", () => {
    expect(files).toContain("emulator.ts");
    expect(edges).toContainEqual({ from: "emulator.ts", to: "tls/intercepting-proxy.ts", typeOnly: false });
  });

  it("finds a circle when there is one", () => {
    const circle = [
      { from: "a.ts", to: "b.ts", typeOnly: false },
      { from: "b.ts", to: "c.ts", typeOnly: true },
      { from: "c.ts", to: "a.ts", typeOnly: false },
    ];
    expect(findCircles(circle)).toEqual([["a.ts", "b.ts", "c.ts", "a.ts"]]);
  });

  it("puts every source file in exactly one layer", () => {
    const outside = files.filter((file) => layerOf(file) < 0);
    expect(outside, "add these files to a layer in emulator-layers.ts").toEqual([]);
    const twice = files.filter(
      (file) => EMULATOR_LAYERS.filter((layer) => matches(file, layer.paths)).length > 1,
    );
    expect(twice, "these files are in more than one layer").toEqual([]);
  });

  it("has no import circle, not even through type-only imports", () => {
    expect(findCircles(edges).map((circle) => circle.join(" -> "))).toEqual([]);
  });

  it("never lets a lower layer import a higher one", () => {
    const upward = edges
      .filter((edge) => layerOf(edge.to) > layerOf(edge.from))
      .map(
        (edge) =>
          `${describeEdge(edge)}: ${EMULATOR_LAYERS[layerOf(edge.from)]?.name} imports ${EMULATOR_LAYERS[layerOf(edge.to)]?.name}`,
      );
    expect(upward).toEqual([]);
  });

  it("keeps the rules inside a layer", () => {
    const broken = INNER_RULES.flatMap((rule) =>
      edges
        .filter((edge) => matches(edge.from, rule.from))
        .filter(
          (edge) =>
            (rule.forbidden !== undefined && matches(edge.to, rule.forbidden)) ||
            (rule.only !== undefined && !matches(edge.to, rule.only)),
        )
        .map((edge) => `${describeEdge(edge)}: ${rule.why}`),
    );
    expect(broken).toEqual([]);
  });

  it("reaches a unit with an entry point only through it", () => {
    const bypassing = Object.entries(ENTRY_POINTS).flatMap(([folder, entry]) =>
      edges
        .filter((edge) => !edge.from.startsWith(folder) && edge.to.startsWith(folder) && edge.to !== entry)
        .map((edge) => `${describeEdge(edge)}: import ${entry} instead`),
    );
    expect(bypassing).toEqual([]);
  });
});
