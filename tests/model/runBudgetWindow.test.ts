import { describe, expect, it } from "vitest";
import { BUDGET_WINDOW_RUNS, OVER_BUDGET_RUNS_TO_FALL_BACK, PROXIED_RUN_BUDGET_MS, RunBudgetWindow, effectiveRunBudgetMs } from "../../plugin/model/runBudgetWindow";

describe("RunBudgetWindow", () => {
    it("ignores spikes: a 40 ms run, or four slow runs in a row, among fast ones", () => {
        const window = new RunBudgetWindow(4);
        for (let i = 0; i < 20; i++) {
            window.record(i === 10 ? 40 : 0.6);
            expect(window.isOverBudget).toBe(false);
        }
        for (let i = 0; i < OVER_BUDGET_RUNS_TO_FALL_BACK - 1; i++) {
            window.record(9);
        }
        expect(window.overBudgetRuns).toBe(OVER_BUDGET_RUNS_TO_FALL_BACK - 1);
        expect(window.isOverBudget).toBe(false);
    });

    it("calls the backend too slow once most of the last runs are over budget, interleaved or not", () => {
        const window = new RunBudgetWindow(4);
        const pattern = [9, 0.5, 9, 9, 0.5, 9, 9]; // 5 of 7 slow
        for (const ms of pattern) {
            expect(window.isOverBudget).toBe(false);
            window.record(ms);
        }
        expect(window.overBudgetRuns).toBe(5);
        expect(window.isOverBudget).toBe(true);
    });

    it("forgets runs older than the window, so a backend that recovers is judged on its recent runs", () => {
        const window = new RunBudgetWindow(4);
        for (let i = 0; i < BUDGET_WINDOW_RUNS; i++) {
            window.record(10);
        }
        expect(window.overBudgetRuns).toBe(BUDGET_WINDOW_RUNS);
        for (let i = 0; i < BUDGET_WINDOW_RUNS - OVER_BUDGET_RUNS_TO_FALL_BACK + 1; i++) {
            window.record(1);
        }
        expect(window.overBudgetRuns).toBe(OVER_BUDGET_RUNS_TO_FALL_BACK - 1);
        expect(window.isOverBudget).toBe(false);
        for (let i = 0; i < 3 * BUDGET_WINDOW_RUNS; i++) {
            window.record(1);
        }
        expect(window.overBudgetRuns).toBe(0);
    });

    it("counts a run exactly at the budget as within it", () => {
        const window = new RunBudgetWindow(4);
        for (let i = 0; i < BUDGET_WINDOW_RUNS; i++) {
            window.record(4);
        }
        expect(window.overBudgetRuns).toBe(0);
    });

    it("holds a run off the main thread to at least two frames at 60 Hz, and a run on it to the budget given", () => {
        expect(PROXIED_RUN_BUDGET_MS).toBe(33);
        expect(effectiveRunBudgetMs(4, false)).toBe(4);
        expect(effectiveRunBudgetMs(4, true)).toBe(33);
        expect(effectiveRunBudgetMs(50, true)).toBe(50);
        // Proxied, a 10 ms round trip (a busy machine) no longer counts against the backend.
        const proxied = new RunBudgetWindow(effectiveRunBudgetMs(4, true));
        const inThread = new RunBudgetWindow(effectiveRunBudgetMs(4, false));
        for (let i = 0; i < BUDGET_WINDOW_RUNS; i++) {
            proxied.record(10);
            inThread.record(10);
        }
        expect(proxied.isOverBudget).toBe(false);
        expect(inThread.isOverBudget).toBe(true);
    });
});
