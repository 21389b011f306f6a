"""Devices with every registry field filled, for the HomeIQ real-HA tests.

Home Assistant's demo integration registers devices with a name only (no manufacturer, model, versions,
connections or parent device). This test-only integration adds a hub and a child device with all of them, and
entities with a device class, a unit, an entity category and one disabled by default, so the recorded registry
lists show each field's non-null form. Set up from YAML (`homeiq_devices:`) through an import config flow.
"""

from homeassistant.config_entries import SOURCE_IMPORT, ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

DOMAIN = "homeiq_devices"
PLATFORMS = ["sensor"]
CONFIG_SCHEMA = cv.empty_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Create the config entry from YAML once."""
    if DOMAIN in config and not hass.config_entries.async_entries(DOMAIN):
        hass.async_create_task(
            hass.config_entries.flow.async_init(
                DOMAIN, context={"source": SOURCE_IMPORT}, data={}
            )
        )
    return True


async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Set up the sensor platform."""
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Unload the sensor platform."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
