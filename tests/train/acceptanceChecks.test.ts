import { beforeAll, describe, expect, it } from "vitest";
import { initParameters, PARAM } from "../../models/architecture";
import { ACCEPTANCE_CHECKS, failedAcceptanceChecks } from "../../models/train/acceptanceChecks";
import { setUpTfBackendAsync } from "../../models/train/tfBackend";
import { TfAttentionModel } from "../../models/train/tfModel";

beforeAll(async () => {
    await setUpTfBackendAsync("wasm");
});

describe("the acceptance checks a kept restart must pass", () => {
    it("pass the untrained network, which ranks like the heuristic", () => {
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
            expect(failedAcceptanceChecks(model)).toEqual(ACCEPTANCE_CHECKS.map((c) => c.name));
        } finally {
            model.dispose();
        }
    });
});
