// `npm run bench`: every benchmark, our figures beside the peers' measured in the same run.
import { benchCcda } from './ccda.ts';
import { benchChecks } from './checks.ts';
import { benchDischargeToTask } from './discharge-to-task.ts';
import { benchFhirAssertions } from './fhir-assertions.ts';
import { benchFhirBulk } from './fhir-bulk.ts';
import { benchFhirFaults } from './fhir-faults.ts';
import { benchHl7Parse } from './hl7-parse.ts';
import { benchMllpIngest } from './mllp-ingest.ts';
import { benchNewRxToTask } from './new-rx-to-task.ts';
import { benchScale } from './scale.ts';
import { benchTextExtraction } from './text-extraction.ts';

console.log('# RxBridge benchmarks');
benchHl7Parse();
await benchMllpIngest();
await benchScale();
benchChecks();
benchTextExtraction();
benchCcda();
await benchFhirAssertions();
await benchFhirBulk();
await benchFhirFaults();
await benchDischargeToTask();
await benchNewRxToTask();
