// What the options page hands its sections: how to save a change and how to announce the outcome.
import type { SettingsPatch } from '../shared/settings.ts';

export interface Status {
  ok: boolean;
  text: string;
}

/** Saves a change; resolves false (after announcing why) when it was refused. */
export type Update = (patch: SettingsPatch, okText?: string) => Promise<boolean>;
export type Announce = (status: Status) => void;
