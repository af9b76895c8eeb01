from shared.alembic_env import run
from services.registration.models import Base

run(Base.metadata)
