// What an expression can see while it is evaluated: parameters, variables, copy loops, the deployment.

import type { DeploymentContext, RuntimeCallbacks } from "./deployment-types.ts";
import { ExpressionError, expressionReasons } from "./errors.ts";
import type { TemplateValue } from "./template-values.ts";

/** Which section of the template an expression sits in; some functions are only allowed in some. */
export type EvaluationLocation = "parameters" | "variables" | "resources" | "outputs";

/** The parts of a deployment that every scope shares. */
export interface DeploymentState {
  readonly context: DeploymentContext;
  parameter(name: string): TemplateValue;
  variable(name: string): TemplateValue;
  /** The object deployment() returns. */
  deploymentObject(): TemplateValue;
  /** Resolves a name used in reference('name') to the resource ID of a template resource, if there is one. */
  templateResourceId(nameOrTypedName: string): string | undefined;
}

interface CopyLoop {
  name: string;
  index: number;
  /** The loop of the resource itself, which copyIndex() without a name refers to. */
  isResourceLoop: boolean;
}

export class EvaluationScope {
  readonly location: EvaluationLocation;
  readonly state: DeploymentState;
  readonly runtime: RuntimeCallbacks | undefined;
  readonly #loops: readonly CopyLoop[];

  constructor(
    location: EvaluationLocation,
    state: DeploymentState,
    runtime?: RuntimeCallbacks,
    loops: readonly CopyLoop[] = [],
  ) {
    this.location = location;
    this.state = state;
    this.runtime = runtime;
    this.#loops = loops;
  }

  get context(): DeploymentContext {
    return this.state.context;
  }

  withLoop(name: string, index: number, isResourceLoop: boolean): EvaluationScope {
    return new EvaluationScope(this.location, this.state, this.runtime, [
      ...this.#loops,
      { name, index, isResourceLoop },
    ]);
  }

  withRuntime(runtime: RuntimeCallbacks | undefined): EvaluationScope {
    return new EvaluationScope(this.location, this.state, runtime, this.#loops);
  }

  copyIndex(loopName: string | undefined): number {
    if (loopName === undefined) {
      const resourceLoop = this.#loops.find((loop) => loop.isResourceLoop);
      if (resourceLoop === undefined) throw new ExpressionError(expressionReasons.copyIndexOutsideLoop());
      return resourceLoop.index;
    }
    const lower = loopName.toLowerCase();
    for (let i = this.#loops.length - 1; i >= 0; i--) {
      const loop = this.#loops[i] as CopyLoop;
      if (loop.name.toLowerCase() === lower) return loop.index;
    }
    throw new ExpressionError(expressionReasons.copyLoopNotFound(loopName));
  }
}
