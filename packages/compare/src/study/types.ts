import type { ExperimentConfig } from '../config/index.js';
import type { PlotSpec } from './schema.js';

/** An axis of a study with its values expanded. */
export interface StudyAxis {
  /** As written: a config path or `seed`. */
  readonly path: string;
  readonly values: readonly unknown[];
  /** How each value reads in tables and legends. */
  readonly labels: readonly string[];
}

/** One point of a study: a full config and its id. */
export interface StudyPoint {
  /** Its place in the study (grid order, or zip order). */
  readonly index: number;
  /** 12 hex digits of the hash of its resolved config (see hash.ts): DIR/points/<id>/. */
  readonly id: string;
  /** The axis values, by axis path. */
  readonly values: Readonly<Record<string, unknown>>;
  /** The config JSON it runs (name `<study>-<id>`), for a worker to parse again. */
  readonly json: unknown;
  readonly config: ExperimentConfig;
}

/** A validated study: its points in order, and what their configs need. */
export interface Study {
  readonly name: string;
  readonly description: string;
  /** The study file as given (errors name it so), and its absolute path. */
  readonly file: string;
  readonly path: string;
  /** Where the base config came from (a file, or `inline`), and the folder its relative paths refer to. */
  readonly baseSource: string;
  readonly baseDir: string;
  readonly combine: 'grid' | 'zip';
  readonly axes: readonly StudyAxis[];
  readonly points: readonly StudyPoint[];
  readonly plots: readonly PlotSpec[];
  /** The study file's content, as read. */
  readonly json: unknown;
}

/** One row of a study's table (study.csv, study.json): a point, how it stands, and its figures. */
export interface StudyRow {
  readonly index: number;
  readonly id: string;
  /** `pending`: not run yet, or interrupted before its folder appeared. */
  readonly status: 'done' | 'failed' | 'pending';
  /** The axis values, and how they read, by axis path. */
  readonly values: Readonly<Record<string, unknown>>;
  readonly labels: Readonly<Record<string, string>>;
  /** Metric columns (see metrics.ts) and seconds, learningRate (η), lambdaMax; null: not reached. */
  readonly metrics: Readonly<Record<string, number | null>>;
  readonly engine?: string;
  readonly claims?: { readonly passed: number; readonly total: number };
  readonly error?: string;
  readonly finishedAt?: string;
}
