/** What {@link haConfigurationYaml} needs to know. */
export interface HaConfigurationInput {
  readonly port: number;
  /** Recorder commit interval; short so `/api/history/period` sees a change within about a second. */
  readonly recorderCommitIntervalS: number;
  /** YAML appended as it is (top-level keys, e.g. an `influxdb:` block). @default none */
  readonly extraYaml?: string;
}

/**
 * Our minimal `configuration.yaml`: no `default_config` and no discovery, only what the tests use. Home
 * Assistant 2025.1 still sets up its always-on set (bootstrap `DEFAULT_INTEGRATIONS`, which includes
 * `frontend`, a critical integration: without it HA starts in recovery mode), so the installer installs the
 * requirements of that set too. Location and units are fixed here, so `get_config` says `config_source: yaml`.
 * `homeiq_devices` is our custom integration (tools/real-ha/custom_components): devices with every registry field
 * set. The automation gives states a context with a `parent_id`.
 */
export function haConfigurationYaml(input: HaConfigurationInput): string {
  return `homeassistant:
  name: HomeIQ real HA
  latitude: 52.3731
  longitude: 4.8922
  elevation: 2
  unit_system: metric
  time_zone: UTC
  currency: EUR
  country: NL
  language: en
http:
  server_host: 127.0.0.1
  server_port: ${input.port}
api:
websocket_api:
config:
history:
recorder:
  commit_interval: ${input.recorderCommitIntervalS}
logger:
  default: warning
demo:
homeiq_devices:
automation:
  - id: homeiq_porch_fan
    alias: Porch light sets the fan speed
    triggers:
      - trigger: state
        entity_id: input_boolean.porch_light
        to: "on"
    actions:
      - action: input_number.set_value
        target:
          entity_id: input_number.fan_speed
        data:
          value: 42
input_boolean:
  porch_light:
    name: Porch light
  away_mode:
    name: Away mode
    icon: mdi:airplane
input_number:
  setpoint:
    name: Setpoint
    min: 5
    max: 30
    step: 0.5
    initial: 20
    unit_of_measurement: "°C"
  fan_speed:
    name: Fan speed
    min: 0
    max: 100
    step: 1
    mode: box
    unit_of_measurement: "%"
input_select:
  house_mode:
    name: House mode
    options: [home, away, night, "vacances à la mer"]
input_text:
  note:
    name: Note
    max: 255
template:
  - sensor:
      - name: Doubled setpoint
        unique_id: homeiq_doubled_setpoint
        unit_of_measurement: "°C"
        device_class: temperature
        state_class: measurement
        state: "{{ (states('input_number.setpoint') | float(0) * 2) | round(1) }}"
      - name: House mode label
        unique_id: homeiq_house_mode_label
        state: "{{ states('input_select.house_mode') | upper }}"
  - binary_sensor:
      - name: Porch occupied
        unique_id: homeiq_porch_occupied
        device_class: occupancy
        state: "{{ is_state('input_boolean.porch_light', 'on') }}"
${input.extraYaml ?? ''}`;
}
