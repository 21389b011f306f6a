"""Import-only config flow: one entry, created from YAML."""

from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult

from . import DOMAIN


class HomeIqDevicesConfigFlow(ConfigFlow, domain=DOMAIN):
    """Creates the single config entry."""

    VERSION = 1

    async def async_step_import(self, import_data: dict[str, Any]) -> ConfigFlowResult:
        """Create the entry (once)."""
        await self.async_set_unique_id(DOMAIN)
        self._abort_if_unique_id_configured()
        return self.async_create_entry(title="HomeIQ test devices", data={})
