import { beforeAll, describe, expect, it } from "vitest";
import { initParameters, PARAM } from "../../models/architecture";
import { ACCEPTANCE_CHECKS, FAR_BESIDE_MID, SIGNAL_CHECKS, failedAcceptanceChecks } from "../../models/train/acceptanceChecks";
import { setUpTfBackendAsync } from "../../models/train/tfBackend";
import { TfAttentionModel } from "../../models/train/tfModel";

beforeAll(async () => {
    await setUpTfBackendAsync("wasm");
});

describe("the acceptance checks a kept restart must pass", () => {
    it("pass the untrained network, which ranks like the heuristic, for the product and each signal", () => {
        const model = TfAttentionModel.FromParameters(initParameters());
        try {
            expect(failedAcceptanceChecks(model)).toEqual([]);
        } finally {
            model.dispose();
        }
    });

    it("fail, by name, a network whose prior is turned upside down", () => {
        const params = initParameters();
        params[PARAM.priorScale][0] = -1;
        const model = TfAttentionModel.FromParameters(params);
        try {
            const failed = failedAcceptanceChecks(model);
            expect(failed.slice(0, ACCEPTANCE_CHECKS.length + 1)).toEqual([...ACCEPTANCE_CHECKS.map((c) => c.name), FAR_BESIDE_MID]);
            // Every signal's lead now falls as its weight rises.
            expect(failed.slice(ACCEPTANCE_CHECKS.length + 1).map((line) => line.split(":")[0])).toEqual([...SIGNAL_CHECKS.map((c) => c.signal), "novelty", "approach"]);
        } finally {
            model.dispose();
        }
    });
});
