import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A device manager started with the server polls its devices on timers (Gladys' device polls): each
// tick asks the service manager for the device's integration by name and calls its `poll()`. The
// integration is out of the analysis's reach, but a service handed out by a manager and a call named
// as polling say the tick does work for the devices, which every instance would do again. The same
// lookup followed by a flush of this process's metrics is housekeeping.

afterAll(removeAnalysedProjects);

function project(call: string): Record<string, string> {
  return {
    'server.js': `const express = require('express');
const DeviceManager = require('./device');

const app = express();
const serviceManager = { getService: (name) => require('./integrations/' + name) };
const devices = new DeviceManager(serviceManager);
devices.setupPoll();
app.get('/', (req, res) => res.send('ok'));
app.listen(3000);
`,
    'device.js': `class DeviceManager {
  constructor(serviceManager) {
    this.serviceManager = serviceManager;
    this.devicesByFrequency = {};
  }

  setupPoll() {
    setInterval(this.pollAll(60000), 60000);
  }

  pollAll(frequency) {
    return async () => {
      for (const device of this.devicesByFrequency[frequency] || []) await this.poll(device);
    };
  }

  async poll(device) {
    const service = this.serviceManager.getService(device.service);
    ${call}
  }
}
module.exports = DeviceManager;
`,
  };
}

describe('a timer that calls an integration the service manager hands out', () => {
  it('the device poll is reported (untyped and typed)', () => {
    const expected = [
      '8:5 no-in-process-scheduler: `setInterval` runs in every instance of the web process: `this.poll()` calls `service.device.poll()` every minute. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
    ];
    const files = project('await service.device.poll(device);');
    expect(untyped(files, 'device.js', ['no-in-process-scheduler'])).toEqual(expected);
    expect(typed(files, 'device.js', ['no-in-process-scheduler'])).toEqual(expected);
  });

  it('quiet: the same lookup to flush this process\'s metrics', () => {
    const files = project('service.flush();');
    expect(untyped(files, 'device.js', ['no-in-process-scheduler'])).toEqual([]);
    expect(typed(files, 'device.js', ['no-in-process-scheduler'])).toEqual([]);
  });
});
