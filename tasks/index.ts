import "./access";
import "./supply";
import "./records";
import "./trials";
