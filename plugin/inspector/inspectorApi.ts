import type { ComponentType, ReactNode } from "react";
import * as InspectorModule from "@babylonjs/inspector";

// @babylonjs/inspector 9.28 ships its extensibility types as re-exports from
// @babylonjs/shared-ui-components, which is not published, so TypeScript sees ServiceDefinition,
// IShellService and the Fluent property lines as missing or `any`. These are the slices this
// pane uses, written from the 9.28 runtime (lib/index-*.js); keep them in step on upgrades.

/** Anything with a dispose, as the Inspector's registrations are. */
export interface IInspectorDisposable {
    dispose(): void;
}

/** A side pane as `IShellService.addSidePane` takes it. */
export interface ISidePaneDefinition {
    /** Unique key; also what `sidePanes[i].select()` refers to. */
    key: string;
    /** Shown in the tab tooltip and the pane header. */
    title: string;
    /** The tab's icon component. */
    icon: ComponentType;
    horizontalLocation: "left" | "right";
    verticalLocation: "top" | "bottom";
    /** Tab order among the panes of that side (Properties is 100). */
    order?: number;
    /** false: no "new extension" teaching popover. */
    teachingMoment?: boolean;
    /** Keep the content mounted while another tab is shown. */
    keepMounted?: boolean;
    /** The pane's content component (rendered with no props). */
    content: ComponentType;
}

/** The slice of the Inspector's shell service a side pane needs. */
export interface IShellServiceLike {
    addSidePane(pane: ISidePaneDefinition): IInspectorDisposable;
    readonly sidePanes?: ReadonlyArray<{ key: string; select(): void }>;
}

/** A service definition consuming the shell service, as `ShowInspector({ serviceDefinitions })` takes it. */
export interface IShellConsumerServiceDefinition {
    friendlyName: string;
    consumes: readonly symbol[];
    factory: (shell: IShellServiceLike) => IInspectorDisposable;
}

interface IPropertyLineProps {
    label: string;
    /** Shown in the label's info popover. */
    description?: string;
}

/** The Inspector's own Fluent-based building blocks, so the pane looks like the rest of it. */
export interface IInspectorPrimitives {
    ShellServiceIdentity: symbol;
    Accordion: ComponentType<{ children?: ReactNode }>;
    AccordionSection: ComponentType<{ title: string; collapseByDefault?: boolean; children?: ReactNode }>;
    SyncedSliderPropertyLine: ComponentType<IPropertyLineProps & { value: number; min: number; max: number; step: number; onChange: (value: number) => void }>;
    SwitchPropertyLine: ComponentType<IPropertyLineProps & { value: boolean; onChange: (value: boolean) => void }>;
    TextPropertyLine: ComponentType<IPropertyLineProps & { value: string }>;
    ButtonLine: ComponentType<{ label: string; title?: string; onClick: () => void | Promise<void> }>;
    FileUploadLine: ComponentType<{ label: string; accept: string; onClick: (files: FileList) => void }>;
    MessageBar: ComponentType<{ message: string; title?: string; intent: "info" | "success" | "warning" | "error" }>;
}

/** The runtime exports, typed. */
export const Inspector = InspectorModule as unknown as IInspectorPrimitives;

/** `ShowInspector`, typed with the options this package passes. */
export const ShowInspector = InspectorModule.ShowInspector;
export type InspectorToken = InspectorModule.InspectorToken;
export type InspectorOptions = Parameters<typeof InspectorModule.ShowInspector>[1];
