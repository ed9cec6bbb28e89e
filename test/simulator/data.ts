// Plausible, deterministic demo data for the read-only API calls (derived from the account, so
// an added account gets data too and the same request always gets the same answer).

const ROBOT_MODELS = ["OS-R-DR01S", "OS-R-SG02", "OS-R-GB01", "OS-R-DC01"];
/** How many items each vendor's list holds unless a test sets another size (ProviderSimulator.setListSize). */
export const LIST_SIZES = { orionstar: 7, enos: 12, oneaccess: 25 } as const;
/** When the demo data "happened": every seeded time is counted from here. */
export const BASE_TIME = Date.UTC(2024, 2, 1, 8, 0, 0);

export interface Robot {
  robot_sn: string;
  robot_name: string;
  robot_model: string;
  online: number;
  robot_version: string;
  ov_corpid: string;
  bind_time: number;
}

/** The corp's robots [from, to) of a list of `count`; the account's own robotSn is the first one. */
export function robotsOf(
  corpId: string,
  firstSn: string,
  count: number = LIST_SIZES.orionstar,
  from = 0,
  to = count,
): Robot[] {
  const robots: Robot[] = [];
  for (let i = Math.max(from, 0); i < Math.min(to, count); i++) {
    robots.push({
      robot_sn: i === 0 ? firstSn : `MC1BCN20160${String(31 + i).padStart(2, "0")}PK${i}`,
      robot_name: i === 0 ? "Lobby greeter" : `Robot ${i + 1}`,
      robot_model: ROBOT_MODELS[i % ROBOT_MODELS.length],
      online: i % 3 === 2 ? 0 : 1,
      robot_version: `V10.${3 + (i % 2)}.${2024 + i}`,
      ov_corpid: corpId,
      bind_time: Math.floor(BASE_TIME / 1000) + i * 86400,
    });
  }
  return robots;
}

/** robot_info's report: battery, task and location. */
export function robotStatus(robot: Robot, index: number): Record<string, unknown> {
  return {
    battery: { level: 87 - index * 9, is_charging: index % 4 === 3 ? 1 : 0 },
    task:
      index % 2 === 0
        ? {
            task_id: `task_${robot.robot_sn}_01`,
            task_type: "reception",
            task_status: "running",
            start_time: Math.floor(BASE_TIME / 1000),
          }
        : { task_id: "", task_type: "", task_status: "idle", start_time: 0 },
    location: {
      map_name: "Floor 1",
      place_name: index === 0 ? "Reception" : `Point ${index}`,
      pos: { x: 1.25 + index, y: -3.5 + index / 2, theta: 1.5708 },
    },
  };
}

export interface Device {
  orgId: string;
  assetId: string;
  modelId: string;
  productKey: string;
  productName: { defaultValue: string; i18nValue: Record<string, string> };
  deviceKey: string;
  deviceName: { defaultValue: string; i18nValue: Record<string, string> };
  timezone: string;
  status: string;
  activeTime: number;
  createTime: number;
}

/** The org's devices [from, to) of a list of `count`; the account's assetId is the first one. */
export function devicesOf(
  orgId: string,
  firstAssetId: string,
  count: number = LIST_SIZES.enos,
  from = 0,
  to = count,
): Device[] {
  const devices: Device[] = [];
  for (let i = Math.max(from, 0); i < Math.min(to, count); i++) {
    const name = i === 0 ? "Inverter 01" : `Meter ${String(i).padStart(2, "0")}`;
    devices.push({
      orgId,
      assetId: i === 0 ? firstAssetId : `aSim${String(i).padStart(4, "0")}`,
      modelId: i === 0 ? "EnOS_Solar_Inverter" : "EnOS_Smart_Meter",
      productKey: i === 0 ? "pInv0001" : "pMeter01",
      productName: { defaultValue: i === 0 ? "Inverter" : "Smart meter", i18nValue: {} },
      deviceKey: `dev_${String(i).padStart(3, "0")}`,
      deviceName: { defaultValue: name, i18nValue: { en_US: name } },
      timezone: "+08:00",
      status: i % 4 === 3 ? "offline" : "online",
      activeTime: BASE_TIME + i * 3_600_000,
      createTime: BASE_TIME - 86_400_000,
    });
  }
  return devices;
}

/** What the asset service answers for a device's asset. */
export function assetOf(device: Device): Record<string, unknown> {
  return {
    orgId: device.orgId,
    assetId: device.assetId,
    modelId: device.modelId,
    modelIdPath: `/${device.modelId}`,
    name: device.deviceName,
    timezone: device.timezone,
    description: "",
    label: "1",
    attributes: { capacity: 50 },
    tags: {},
  };
}

export interface User {
  user_id: string;
  user_name: string;
  name: string;
  org_id: string;
  disabled: boolean;
  locked: boolean;
  mobile: string;
  email: string;
  created_at: string;
}

/** The org's users [from, to) of a list of `count`. */
export function usersOf(orgId: string, count: number = LIST_SIZES.oneaccess, from = 0, to = count): User[] {
  const users: User[] = [];
  for (let i = Math.max(from, 0); i < Math.min(to, count); i++) {
    const n = String(i + 1).padStart(3, "0");
    users.push({
      user_id: `20240301${n}8f3a`,
      user_name: `user${n}`,
      name: `Demo User ${n}`,
      org_id: orgId,
      disabled: i % 10 === 9,
      locked: i % 12 === 11,
      mobile: `+86-1380000${n.padStart(4, "0")}`,
      email: `user${n}@example.com`,
      created_at: new Date(BASE_TIME + i * 86_400_000).toISOString(),
    });
  }
  return users;
}
