/**
 * Worker-thread entry for scan's file pass: big trees are split by top-level folder so the crawl, the reads
 * and the prefilter use every core. Receives units and options, posts back the PassResult.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runFilePass, type CrawlUnit, type PassOptions } from './file-pass.js';

const { units, options } = workerData as { units: CrawlUnit[]; options: PassOptions };
parentPort?.postMessage(runFilePass(units, options));
