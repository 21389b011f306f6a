"""A hub and a climate sensor behind it, with every DeviceInfo field set."""

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorStateClass,
)
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import PERCENTAGE, EntityCategory, UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import CONNECTION_NETWORK_MAC, DeviceInfo
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from . import DOMAIN

HUB = DeviceInfo(
    identifiers={(DOMAIN, "hub-0001")},
    connections={(CONNECTION_NETWORK_MAC, "02:00:00:00:00:01")},
    name="HomeIQ Hub",
    manufacturer="HomeIQ Labs",
    model="Hub One",
    model_id="HQ-HUB-1",
    sw_version="1.2.3",
    hw_version="rev B",
    serial_number="HQ0001",
    configuration_url="http://127.0.0.1/hub",
)
CLIMATE = DeviceInfo(
    identifiers={(DOMAIN, "climate-0002")},
    name="Climate sensor",
    manufacturer="HomeIQ Labs",
    model="Climate Two",
    model_id="HQ-CLI-2",
    sw_version="0.9.1",
    hw_version="rev A",
    serial_number="HQ0002",
    via_device=(DOMAIN, "hub-0001"),
)


async def async_setup_entry(
    hass: HomeAssistant, entry: ConfigEntry, async_add_entities: AddEntitiesCallback
) -> None:
    """Add the entities."""
    async_add_entities(
        [
            StaticSensor("hub-uptime", HUB, "Uptime", 1234.5, unit="s",
                         device_class=SensorDeviceClass.DURATION,
                         category=EntityCategory.DIAGNOSTIC),
            StaticSensor("climate-temperature", CLIMATE, "Temperature", 21.5,
                         unit=UnitOfTemperature.CELSIUS,
                         device_class=SensorDeviceClass.TEMPERATURE,
                         state_class=SensorStateClass.MEASUREMENT),
            StaticSensor("climate-humidity", CLIMATE, "Humidity", 48,
                         unit=PERCENTAGE, device_class=SensorDeviceClass.HUMIDITY,
                         state_class=SensorStateClass.MEASUREMENT),
            StaticSensor("climate-signal", CLIMATE, "Signal strength", -61,
                         unit="dBm", device_class=SensorDeviceClass.SIGNAL_STRENGTH,
                         category=EntityCategory.DIAGNOSTIC, enabled=False),
        ]
    )


class StaticSensor(SensorEntity):
    """A sensor whose value only changes through the REST API (POST /api/states)."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, unique_id, device, name, value, *, unit=None, device_class=None,
                 state_class=None, category=None, enabled=True) -> None:
        self._attr_unique_id = f"homeiq-{unique_id}"
        self._attr_device_info = device
        self._attr_name = name
        self._attr_native_value = value
        self._attr_native_unit_of_measurement = unit
        self._attr_device_class = device_class
        self._attr_state_class = state_class
        self._attr_entity_category = category
        self._attr_entity_registry_enabled_default = enabled
